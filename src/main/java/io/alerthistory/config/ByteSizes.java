package io.alerthistory.config;

import java.util.Locale;

/** Parses byte sizes such as {@code 4194304}, {@code 512KiB} or {@code 4MiB}. */
final class ByteSizes {
  private ByteSizes() {}

  static long parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    long factor = 1;
    if (s.endsWith("KIB") || s.endsWith("KB")) {
      factor = 1024;
    } else if (s.endsWith("MIB") || s.endsWith("MB")) {
      factor = 1024 * 1024;
    }
    String digits = s.replaceAll("[A-Z]+$", "");
    long n = Long.parseLong(digits) * factor;
    if (n <= 0) {
      throw new IllegalArgumentException("not positive");
    }
    return n;
  }
}
