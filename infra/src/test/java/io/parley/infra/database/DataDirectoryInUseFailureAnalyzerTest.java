package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DataDirectoryInUseFailureAnalyzerTest {

  @Test
  void aRefusedStart_isReportedAsWhatHappenedAndWhatToDo() {
    Throwable startFailure =
        new BeanCreationException(
            "dataSource",
            "Error creating bean",
            DataDirectoryLock.inUse(Path.of("/srv/parley/data")));

    FailureAnalysis analysis = new DataDirectoryInUseFailureAnalyzer().analyze(startFailure);

    assertThat(analysis.getDescription())
        .startsWith("Another Parley is running on the data directory /srv/parley/data");
    assertThat(analysis.getAction()).contains("PARLEY_DATA_DIR");
  }

  @Test
  void otherStartFailures_areLeftToOtherAnalyzers() {
    assertThat(
            new DataDirectoryInUseFailureAnalyzer()
                .analyze(new BeanCreationException("dataSource", "something else")))
        .isNull();
  }
}
