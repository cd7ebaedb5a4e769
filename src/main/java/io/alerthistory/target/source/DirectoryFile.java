package io.alerthistory.target.source;

import io.alerthistory.target.SourceEntry;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * One target file as read: its entries and the size and modification time seen just before reading,
 * which tell whether a broken file is still being written.
 *
 * @param size bytes, or -1 when the file could not be inspected
 * @param modified modification time, or null when the file could not be inspected
 */
record DirectoryFile(Path path, long size, FileTime modified, List<SourceEntry> entries) {

  DirectoryFile {
    entries = List.copyOf(entries);
  }

  /**
   * Whether the file reads as something a writer may still be in the middle of: empty, no
   * documents, or a document that does not parse.
   */
  boolean broken() {
    return size == 0 || entries.isEmpty() || entries.stream().anyMatch(DirectoryFile::brokenEntry);
  }

  static boolean brokenEntry(SourceEntry e) {
    return switch (e) {
      case SourceEntry.Unreadable u -> true;
      case SourceEntry.Declared d -> d.document() == null || d.document().isMissingNode();
    };
  }
}
