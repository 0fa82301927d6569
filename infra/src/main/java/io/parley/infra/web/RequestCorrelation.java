package io.parley.infra.web;

import io.parley.api.IdempotencyKey;
import io.parley.infra.axon.AxonConfig;
import io.parley.infra.idempotency.IdempotencyKeyInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.MDC;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The request id of the HTTP request being served (kept in the logging MDC by {@link
 * RequestIdFilter}), the authenticated caller and, on a POST, its {@code Idempotency-Key}, as Axon
 * metadata for the commands it sends. A command dispatch interceptor: Axon's {@code
 * InterceptorAutoConfiguration} registers it on the command gateway.
 */
@Component
public final class RequestCorrelation implements MessageDispatchInterceptor<CommandMessage<?>> {

  public static final String HEADER = "X-Request-Id";

  /** MDC key, used by the log pattern in application.yml. */
  public static final String MDC_KEY = "requestId";

  /** Client-supplied ids are echoed only if they are this tame (no log or header injection). */
  static final Pattern ACCEPTABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
      List<? extends CommandMessage<?>> messages) {
    return (index, command) -> command.andMetaData(currentMetaData());
  }

  public static Map<String, Object> currentMetaData() {
    Map<String, Object> metaData = new HashMap<>(4);
    String requestId = MDC.get(MDC_KEY);
    if (requestId != null) {
      metaData.put(AxonConfig.CORRELATION_ID, requestId);
    }
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.isAuthenticated()) {
      metaData.put(AxonConfig.ACTOR, authentication.getName());
    }
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        && HttpMethod.POST.matches(attributes.getRequest().getMethod())) {
      HttpServletRequest request = attributes.getRequest();
      String key = request.getHeader(IdempotencyKey.HEADER);
      if (key != null) {
        metaData.put(
            IdempotencyKeyInterceptor.KEY, IdempotencyKey.requireValid(key, IdempotencyKey.HEADER));
        metaData.put(IdempotencyKeyInterceptor.SCOPE, request.getRequestURI());
      }
    }
    return metaData;
  }
}
