/* The differential tests: every shared model through `modelc run` and through real TensorFlow
   Lite (tests/oracle/diff.js: integer outputs identical, float within the stated tolerance), and
   every seanet case against its TFLite Micro golden (tests/oracle/seanet.js: identical). One test
   per model, so a failure names it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/util.h"

/* Runs a node script of tests/oracle with args, in which every "@" stands for the shared folder;
   the script's per-case lines go to the test log. */
static void node(const char *script, const char *args) {
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char cmd[8192], expanded[4096];
  size_t n = 0;
  for (const char *a = args; *a && n < sizeof expanded - 512; a++) {
    if (*a == '@') n += (size_t)snprintf(expanded + n, sizeof expanded - n, "%s", shared);
    else expanded[n++] = *a;
  }
  expanded[n] = 0;
  snprintf(cmd, sizeof cmd, "node '%s/oracle/%s' --modelc '%s' %s 2>&1", MODELC_TESTS_DIR, script,
           modelc_bin(), expanded);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run node");
  char line[4096];
  while (fgets(line, sizeof line, p)) {
    line[strcspn(line, "\n")] = 0;
    cr_log_info("%s", line);
    if (strstr(line, "DIFFERS") || strstr(line, "failed") || strstr(line, "oracle:"))
      cr_log_error("%s", line);
  }
  int st = pclose(p);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s %s: outputs differ (status %d)", script,
            args, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

#define MODEL(test, path, extra)                                          \
  Test(models, test, .timeout = 900) {                                    \
    node("diff.js", "--seeds 1,2,3 " extra " '@/models/" path "'");  \
  }
#define IMAGES "--image @/testdata/images/grace_hopper.bmp --image @/testdata/images/cat.bmp"

MODEL(ad01_int8, "mlperf_tiny/ad01_int8.tflite", "")
MODEL(ad01_fp32, "mlperf_tiny/ad01_fp32.tflite", "")
MODEL(kws_ref_model, "mlperf_tiny/kws_ref_model.tflite", "")
MODEL(kws_ref_model_float32, "mlperf_tiny/kws_ref_model_float32.tflite", "")
MODEL(pretrainedResnet, "mlperf_tiny/pretrainedResnet.tflite", IMAGES)
MODEL(pretrainedResnet_quant, "mlperf_tiny/pretrainedResnet_quant.tflite", IMAGES)
MODEL(vww_96_float, "mlperf_tiny/vww_96_float.tflite", IMAGES)
MODEL(vww_96_int8, "mlperf_tiny/vww_96_int8.tflite", IMAGES)
MODEL(hello_world_float, "tflm/hello_world_float.tflite", "")
MODEL(hello_world_int8, "tflm/hello_world_int8.tflite", "")
MODEL(keyword_scrambled, "tflm/keyword_scrambled.tflite", "")
MODEL(keyword_scrambled_8bit, "tflm/keyword_scrambled_8bit.tflite", "")
MODEL(micro_speech_quantized, "tflm/micro_speech_quantized.tflite", "")
MODEL(simple_add_model, "tflm/simple_add_model.tflite", "")
MODEL(trained_lstm, "tflm/trained_lstm.tflite", "")
MODEL(trained_lstm_int8, "tflm/trained_lstm_int8.tflite", "")
MODEL(mobilenet_v1_0_25_128_quant, "coral/mobilenet_v1_0.25_128_quant.tflite", IMAGES)
MODEL(mobilenet_v2_1_0_224_quant, "coral/mobilenet_v2_1.0_224_quant.tflite", IMAGES)
MODEL(tf2_mobilenet_v2_1_0_224_ptq, "coral/tf2_mobilenet_v2_1.0_224_ptq.tflite", IMAGES)
MODEL(deeplabv3_mnv2_dm05_pascal_quant, "coral/deeplabv3_mnv2_dm05_pascal_quant.tflite", IMAGES)

/* Seanet: TFLite Micro's default build, so double rounding. */
#define SEANET(op) \
  Test(seanet, op, .timeout = 900) { node("seanet.js", "--rounding double @/testdata/seanet " #op); }
SEANET(add)
SEANET(conv)
SEANET(leaky_relu)
SEANET(pad)
SEANET(quantize)
SEANET(strided_slice)
SEANET(sub)
SEANET(transpose_conv)
