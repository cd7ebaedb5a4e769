package io.alerthistory.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the process while open, rendered with its key-value pairs and MDC.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** Every captured line: level, logger, message, key-values, MDC and any exception text. */
  public String text() {
    return events().stream().map(LogCapture::render).collect(Collectors.joining("\n"));
  }

  private static String render(ILoggingEvent e) {
    StringBuilder b = new StringBuilder();
    b.append(e.getLevel())
        .append(' ')
        .append(e.getLoggerName())
        .append(' ')
        .append(e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs().forEach(kv -> b.append(' ').append(kv.key).append('=').append(kv.value));
    }
    b.append(' ').append(e.getMDCPropertyMap());
    if (e.getThrowableProxy() != null) {
      b.append(' ').append(e.getThrowableProxy().getMessage());
    }
    return b.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
