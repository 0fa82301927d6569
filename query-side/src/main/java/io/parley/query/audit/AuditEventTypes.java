package io.parley.query.audit;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.RegexPatternTypeFilter;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * The event types the audit replay can filter by: every record {@code …Event} in {@code
 * io.parley.api}, by simple name ({@code MessageSentEvent} → its class name as stored in {@code
 * payload_type}). Found once, at startup, from the classpath.
 */
@Component
public class AuditEventTypes {

  static final String EVENTS_PACKAGE = "io.parley.api";

  private final Map<String, String> bySimpleName;

  public AuditEventTypes() {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new RegexPatternTypeFilter(Pattern.compile(".*Event")));
    Map<String, String> found = new TreeMap<>();
    for (var candidate : scanner.findCandidateComponents(EVENTS_PACKAGE)) {
      String className = candidate.getBeanClassName();
      Class<?> type = ClassUtils.resolveClassName(className, getClass().getClassLoader());
      if (type.isRecord()) {
        String previous = found.put(type.getSimpleName(), className);
        if (previous != null) {
          throw new IllegalStateException(
              "Two events are called " + type.getSimpleName() + ": " + previous + ", " + className);
        }
      }
    }
    this.bySimpleName = Map.copyOf(found);
  }

  /** The stored payload type of the event called {@code simpleName}, if there is one. */
  public Optional<String> payloadType(String simpleName) {
    return Optional.ofNullable(bySimpleName.get(simpleName));
  }
}
