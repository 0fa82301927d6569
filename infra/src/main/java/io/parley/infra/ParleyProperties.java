package io.parley.infra;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Parley's own settings ({@code parley.*}; environment variables such as {@code PARLEY_DB_URL} and
 * {@code PARLEY_DATA_DIR} bind to them through Spring's relaxed binding).
 *
 * @param dataDir where the embedded PostgreSQL and the dev signing key live
 * @param db an external PostgreSQL; when its URL is empty an embedded one is started (dev only)
 * @param maxRequestBody larger request bodies are answered 413
 * @param devTokenTtl lifetime of tokens from {@code POST /api/dev/tokens}
 * @param conversationSnapshotThreshold events between two snapshots of a conversation (a cache miss
 *     replays fewer than this many events after the snapshot)
 * @param conversationCacheSize conversations kept in each node's aggregate cache
 * @param idempotencyKeyRetention how long an {@code Idempotency-Key} or {@code clientMessageId} is
 *     remembered: a retry within it answers the first outcome, a retry after it is a new command
 * @param nodeId this node's name in the token store's claims (the {@code owner} of a segment in the
 *     operations console); empty: Axon's default, the JVM's {@code pid@hostname}. Must differ
 *     between nodes sharing a database.
 */
@ConfigurationProperties("parley")
public record ParleyProperties(
    @DefaultValue("./data") Path dataDir,
    @DefaultValue Db db,
    @DefaultValue("256KB") DataSize maxRequestBody,
    @DefaultValue("PT12H") Duration devTokenTtl,
    @DefaultValue("50") int conversationSnapshotThreshold,
    @DefaultValue("10000") long conversationCacheSize,
    @DefaultValue("P7D") Duration idempotencyKeyRetention,
    @DefaultValue("") String nodeId) {

  /** An external database. */
  public record Db(String url, @DefaultValue("parley") String user, String password) {
    public boolean isExternal() {
      return url != null && !url.isBlank();
    }
  }
}
