package io.parley.infra.privacy;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Envelope encryption settings ({@code parley.crypto.*}).
 *
 * @param masterKeys master keys by id, each 32 bytes in Base64 (AES-256). Several may be listed
 *     during a rotation; data keys name the one that wraps them.
 * @param activeMasterKey the id that wraps new data keys (and, at startup, re-wraps old ones)
 * @param keyCacheTtl how long a node keeps an unwrapped data key in memory. After an erasure on
 *     another node, this node may still decrypt for at most this long.
 */
@ConfigurationProperties("parley.crypto")
public record CryptoProperties(
    Map<String, String> masterKeys,
    String activeMasterKey,
    @DefaultValue("PT60S") Duration keyCacheTtl) {}
