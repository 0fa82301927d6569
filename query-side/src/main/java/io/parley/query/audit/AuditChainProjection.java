package io.parley.query.audit;

import static io.parley.migrations.jooq.Tables.AUDIT_CHAIN;
import static io.parley.migrations.jooq.Tables.AUDIT_CHAIN_CHECKPOINT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.query.PerBatch;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.Record2;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Extends the audit hash chain (ADR 0013) over every stored event, in the order this single-segment
 * processor receives them: Axon's gap-aware token delivers an event that fills a gap late, and a
 * hole that is never filled is simply never in the chain. Each event only notes its global index;
 * once per batch, before the batch's transaction commits (with the processor's token), the stored
 * rows are read, hashed onto the chain's head and inserted in one statement.
 *
 * <p>Not replayable: a replay would offer the same events again in another order (late events in
 * global order), which is a different chain. There is no {@code @ResetHandler}, so Axon refuses to
 * reset this processor; events already in the chain are skipped if they are ever delivered again.
 */
@Component
@ProcessingGroup(AuditChainProjection.PROCESSING_GROUP)
@DisallowReplay
public class AuditChainProjection {

  public static final String PROCESSING_GROUP = "audit-chain";

  private static final String BATCH = AuditChainProjection.class.getName() + ".batch";

  private final DSLContext db;
  private final EventStoreRows eventStore;
  private final Clock clock;
  private final int checkpointInterval;
  private final Timer extension;
  private final Counter chained;

  public AuditChainProjection(
      DSLContext db,
      EventStoreRows eventStore,
      Clock clock,
      MeterRegistry meters,
      @Value("${parley.audit.chain.checkpoint-interval:1000}") int checkpointInterval) {
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException("parley.audit.chain.checkpoint-interval must be >= 1");
    }
    this.db = db;
    this.eventStore = eventStore;
    this.clock = clock;
    this.checkpointInterval = checkpointInterval;
    this.extension =
        Timer.builder("parley.audit.chain.extension")
            .description("Time to append one batch of events to the audit hash chain")
            .register(meters);
    this.chained =
        Counter.builder("parley.audit.chain.events")
            .description("Events appended to the audit hash chain by this node")
            .register(meters);
  }

  /** Every event, whatever its type; its payload is never deserialized here. */
  @EventHandler(payloadType = Object.class)
  void on(EventMessage<?> event, UnitOfWork<?> unitOfWork) {
    Set<String> batch =
        PerBatch.of(
            unitOfWork,
            BATCH,
            LinkedHashSet::new,
            identifiers -> extension.record(() -> extend(identifiers)));
    // By identifier, not by the token's position: a token's position is its highest index, so an
    // event that fills a gap late would read as one already chained. A set: an upcaster that
    // splits one stored row yields one row, hashed once.
    batch.add(event.getIdentifier());
  }

  /** Appends the batch's events to the chain, in the order they were received. */
  void extend(Set<String> eventIdentifiers) {
    String[] identifiers = eventIdentifiers.toArray(String[]::new);
    EventStoreRows.Lookup rows = eventStore.lookUp(identifiers);
    Record2<Long, byte[]> head =
        db.select(AUDIT_CHAIN.POSITION, AUDIT_CHAIN.HASH)
            .from(AUDIT_CHAIN)
            .orderBy(AUDIT_CHAIN.POSITION.desc())
            .limit(1)
            .fetchOne();
    long position = head == null ? 0 : head.value1();
    byte[] previous = head == null ? AuditChainHash.GENESIS : head.value2();
    AuditChainHash hash = new AuditChainHash();
    var links =
        db.insertInto(
            AUDIT_CHAIN, AUDIT_CHAIN.POSITION, AUDIT_CHAIN.GLOBAL_INDEX, AUDIT_CHAIN.HASH);
    Checkpoints checkpoints = new Checkpoints();
    int added = 0;
    for (String identifier : identifiers) {
      if (rows.chained().contains(identifier)) {
        continue; // delivered again (a token lost or rewound): already covered
      }
      StoredEventRow row = rows.unchained().get(identifier);
      if (row == null) {
        // Received, so stored and committed; gone now means someone removed it. Do not extend the
        // chain past it: the batch fails and is retried, and the processor's lag shows it.
        throw new IllegalStateException("event " + identifier + " was delivered but is not stored");
      }
      previous = hash.next(previous, row);
      position++;
      links = links.values(position, row.globalIndex(), previous);
      added++;
      if (position % checkpointInterval == 0) {
        checkpoints.add(position, row.globalIndex(), previous);
      }
    }
    if (added > 0) {
      links.execute();
      checkpoints.execute();
      chained.increment(added);
    }
  }

  /** The checkpoints a batch reached, if any, inserted together. */
  private final class Checkpoints {
    private InsertValuesStep4<?, Long, Long, byte[], OffsetDateTime> insert;

    void add(long position, long globalIndex, byte[] hash) {
      if (insert == null) {
        insert =
            db.insertInto(
                AUDIT_CHAIN_CHECKPOINT,
                AUDIT_CHAIN_CHECKPOINT.POSITION,
                AUDIT_CHAIN_CHECKPOINT.GLOBAL_INDEX,
                AUDIT_CHAIN_CHECKPOINT.HASH,
                AUDIT_CHAIN_CHECKPOINT.RECORDED_AT);
      }
      insert = insert.values(position, globalIndex, hash, clock.instant().atOffset(ZoneOffset.UTC));
    }

    void execute() {
      if (insert != null) {
        insert.execute();
      }
    }
  }
}
