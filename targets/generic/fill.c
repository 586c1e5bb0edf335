/* Sets n elements to v (PAD's border before the interior is copied in). */
static void fill_$S($T *p, size_t n, $T v) {
  for (size_t i = 0; i < n; i++) p[i] = v;
}
