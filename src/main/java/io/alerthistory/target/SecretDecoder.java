package io.alerthistory.target;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import io.alerthistory.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Turns a Kubernetes Secret into a {@link SourceEntry}: its {@code config} key, from {@code
 * stringData} or base64 {@code data}, holds the target document as JSON. Error reasons never quote
 * the Secret's content.
 */
public final class SecretDecoder {
  public static final String CONFIG_KEY = "config";

  private SecretDecoder() {}

  public static SourceEntry decode(
      String origin,
      String namespace,
      String name,
      Map<String, String> stringData,
      Map<String, String> data) {
    String text;
    if (stringData != null && stringData.containsKey(CONFIG_KEY)) {
      text = stringData.get(CONFIG_KEY);
    } else if (data != null && data.containsKey(CONFIG_KEY)) {
      try {
        byte[] raw = Base64.getMimeDecoder().decode(strictBase64(data.get(CONFIG_KEY)));
        text = new String(raw, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return new SourceEntry.Unreadable(
            origin, namespace, name, "data.config is not valid base64");
      }
    } else {
      return new SourceEntry.Unreadable(
          origin, namespace, name, "Secret has no \"config\" key in data or stringData");
    }
    return parseDocument(origin, namespace, name, text, "config");
  }

  /** Parses a JSON target document, reporting only the location of a syntax error. */
  public static SourceEntry parseDocument(
      String origin, String namespace, String name, String json, String what) {
    try {
      return new SourceEntry.Declared(origin, namespace, name, Json.MAPPER.readTree(json));
    } catch (JacksonException e) {
      return new SourceEntry.Unreadable(
          origin, namespace, name, what + " is not valid JSON" + at(e));
    }
  }

  static String at(JacksonException e) {
    JsonLocation loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0
        ? ""
        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static String strictBase64(String s) {
    if (s == null || !s.replaceAll("\\s", "").matches("[A-Za-z0-9+/]*={0,2}")) {
      throw new IllegalArgumentException("not base64");
    }
    return s;
  }
}
