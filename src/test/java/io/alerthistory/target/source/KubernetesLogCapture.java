package io.alerthistory.target.source;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event of the process (root logger) while open. */
final class KubernetesLogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  KubernetesLogCapture() {
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** Messages of this source's own logger. */
  List<String> sourceMessages() {
    return events().stream()
        .filter(e -> e.getLoggerName().equals(KubernetesTargetSource.class.getName()))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Everything an encoder could print: messages, arguments, key-values, stack traces. */
  String allText() {
    return events().stream().map(KubernetesLogCapture::render).collect(Collectors.joining("\n"));
  }

  private static String render(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ');
    b.append(e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs().forEach(kv -> b.append(' ').append(kv.key).append('=').append(kv.value));
    }
    if (e.getMDCPropertyMap() != null) {
      b.append(' ').append(e.getMDCPropertyMap());
    }
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      b.append('\n').append(ThrowableProxyUtil.asString(t));
    }
    return b.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
