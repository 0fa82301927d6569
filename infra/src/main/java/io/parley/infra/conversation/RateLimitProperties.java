package io.parley.infra.conversation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-sender send rate limit: at most {@code messages} messages per {@code period} from one
 * sender into one conversation ({@code parley.rate-limit.*}; API.md's default is 30 a minute). The
 * conversation enforces it with a {@link io.parley.command.conversation.SendRateLimit} built from
 * these ({@link ConversationConfig}).
 */
@ConfigurationProperties("parley.rate-limit")
public record RateLimitProperties(
    @DefaultValue("30") int messages, @DefaultValue("PT1M") Duration period) {

  public RateLimitProperties {
    if (messages < 1) {
      throw new IllegalArgumentException("parley.rate-limit.messages must be at least 1");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("parley.rate-limit.period must be positive");
    }
  }
}
