package io.parley.infra.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operations console's settings ({@code parley.ops.*}).
 *
 * @param replayPollInterval how often each node looks for a replay to take part in: also the delay
 *     before a requested replay stops the processor, and between its reset and its restart
 */
@ConfigurationProperties("parley.ops")
public record OpsProperties(@DefaultValue("PT1S") Duration replayPollInterval) {}
