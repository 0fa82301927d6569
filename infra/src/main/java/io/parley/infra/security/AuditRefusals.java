package io.parley.infra.security;

import io.parley.query.audit.AuditAccessLog;
import jakarta.servlet.http.HttpServletRequest;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Counts the audit reads the security chain refuses, in {@code parley.audit.reads} beside the reads
 * it let through: a 403 by the reader's roles ({@code forbidden}), a 401 ({@code unauthenticated},
 * role {@value AuditAccessLog#NO_ROLE}). An attempt at the audit trail without the role is what a
 * security team watches for. Requests to other paths are not counted.
 */
@Component
public class AuditRefusals {

  private static final String ROLE_PREFIX = "ROLE_";

  private final AuditAccessLog accessLog;

  public AuditRefusals(AuditAccessLog accessLog) {
    this.accessLog = accessLog;
  }

  public void forbidden(HttpServletRequest request) {
    AuditAccessLog.endpointOf(request.getRequestURI())
        .ifPresent(endpoint -> accessLog.count(endpoint, roles(), "forbidden"));
  }

  public void unauthenticated(HttpServletRequest request) {
    AuditAccessLog.endpointOf(request.getRequestURI())
        .ifPresent(
            endpoint -> accessLog.count(endpoint, AuditAccessLog.NO_ROLE, "unauthenticated"));
  }

  /** The caller's known roles, sorted and joined with "+" (a bounded set of tag values). */
  private static String roles() {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (caller == null) {
      return AuditAccessLog.NO_ROLE;
    }
    String roles =
        caller.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .filter(authority -> authority != null && authority.startsWith(ROLE_PREFIX))
            .map(authority -> authority.substring(ROLE_PREFIX.length()))
            .filter(SecurityConfig.ROLES::contains)
            .sorted()
            .distinct()
            .collect(Collectors.joining("+"));
    return roles.isEmpty() ? AuditAccessLog.NO_ROLE : roles;
  }
}
