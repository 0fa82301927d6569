package io.parley.infra.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused because another Parley holds the data directory ends with Boot's short
 * "APPLICATION FAILED TO START" report (what happened, what to do) instead of a bean-creation stack
 * trace.
 */
public class DataDirectoryInUseFailureAnalyzer
    extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Stop the other Parley (it may still be shutting down), or start this one with another"
            + " PARLEY_DATA_DIR.",
        cause);
  }
}
