package io.parley.command.conversation;

import java.time.Duration;
import java.time.Instant;

/**
 * How often one sender may send into one conversation: at most {@code messages} per {@code period},
 * as the generic cell rate algorithm (GCRA). Per sender, the conversation keeps one instant, the
 * "theoretical arrival time" (TAT) of their next message; every message sent (or blocked) moves it
 * to {@code max(TAT, sentAt) + interval}, where {@code interval = period / messages}. A send at
 * {@code now} is allowed when {@code max(TAT, now) + interval <= now + period}. That allows {@code
 * messages} sends in a burst, then one per interval: a sliding window without the double burst of
 * fixed windows.
 *
 * <p>Pure functions, no state: {@link ConversationAggregate} holds the TATs and takes this policy
 * as a handler parameter both where it decides and where it applies the events, so the decision and
 * the state rebuilt from the events alone always agree. A TAT of {@code null} is a sender who never
 * sent, or whose budget is full again.
 *
 * @param messages the burst, and the number of messages per {@code period}
 * @param period the window
 */
public record SendRateLimit(int messages, Duration period) {

  public SendRateLimit {
    if (messages < 1) {
      throw new IllegalArgumentException("the rate limit needs at least 1 message per period");
    }
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the rate limit's period must be positive");
    }
  }

  /** The time one message takes out of the budget: {@code period / messages}. */
  public Duration interval() {
    return period.dividedBy(messages);
  }

  /** Whether a sender whose TAT is {@code tat} may send at {@code now}. */
  public boolean allows(Instant tat, Instant now) {
    return !nextArrival(tat, now).isAfter(now.plus(period));
  }

  /** The sender's TAT after a message at {@code at}: {@code max(tat, at) + interval}. */
  public Instant nextArrival(Instant tat, Instant at) {
    Instant start = tat == null || tat.isBefore(at) ? at : tat;
    return start.plus(interval());
  }

  /**
   * When a refused sender may send again: {@code tat + interval - period - now}, rounded up to
   * whole seconds, at least one (it is a {@code Retry-After} header).
   */
  public Duration retryAfter(Instant tat, Instant now) {
    Instant start = tat == null || tat.isBefore(now) ? now : tat;
    Duration remaining = Duration.between(now, start.plus(interval()).minus(period));
    long seconds = remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0);
    return Duration.ofSeconds(Math.max(1, seconds));
  }
}
