package io.alerthistory.target;

import com.fasterxml.jackson.databind.JsonNode;

/** One target declaration as a source found it, before validation. */
public sealed interface SourceEntry permits SourceEntry.Declared, SourceEntry.Unreadable {

  /** Where it was declared: a file path or {@code namespace/secret}. */
  String origin();

  /** The namespace it belongs to, or empty off Kubernetes; orders duplicate names. */
  String namespace();

  /**
   * A target document that was read.
   *
   * @param defaultName the Secret's or file's name, used when the document has no {@code name}
   */
  record Declared(String origin, String namespace, String defaultName, JsonNode document)
      implements SourceEntry {}

  /** A declaration whose document could not be read at all (bad encoding, bad JSON). */
  record Unreadable(String origin, String namespace, String name, String reason)
      implements SourceEntry {}
}
