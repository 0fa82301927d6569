package io.parley.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditAccessLogTest {

  @Test
  void auditPathsNameTheirEndpoint_otherPathsNone() {
    assertThat(AuditAccessLog.endpointOf("/api/v1/audit/events")).contains("events");
    assertThat(AuditAccessLog.endpointOf("/api/v1/audit/integrity")).contains("integrity");
    assertThat(AuditAccessLog.endpointOf("/api/v1/audit/conversations/abc/state"))
        .contains("conversation-state");
    assertThat(AuditAccessLog.endpointOf("/api/v1/audit/whatever")).contains("other");
    assertThat(AuditAccessLog.endpointOf("/api/v1/conversations")).isEqualTo(Optional.empty());
    assertThat(AuditAccessLog.endpointOf(null)).isEmpty();
  }
}
