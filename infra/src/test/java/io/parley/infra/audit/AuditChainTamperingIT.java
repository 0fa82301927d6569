package io.parley.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit hash chain against tampering written straight into the tables (with the guard triggers
 * switched off inside the tampering transaction, as the table's owner can): a changed payload byte,
 * a deleted row and two swapped payloads each make verification fail at the right global index, and
 * putting the bytes back makes it verify again. Axon's gaps in global_index: a hole that is never
 * filled does not break the chain, and an event committed late into a gap is covered after the
 * events that overtook it. Its own database, because it tampers.
 */
@SpringBootTest(
    classes = ParleyApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "parley.data-dir=target/it-data",
      "parley.rate-limit.messages=100000",
      "parley.audit.chain.checkpoint-interval=3"
    })
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class)
class AuditChainTamperingIT {

  static final String MESSAGE_SENT = "io.parley.api.conversation.MessageSentEvent";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;

  ApiClient api;
  String user;
  String officer;

  @BeforeEach
  void clients() {
    api = new ApiClient(port);
    user = api.token("tamper-user", "USER");
    officer = api.token("tamper-officer", "COMPLIANCE");
  }

  @Test
  void oneChangedPayloadByte_breaksAtThatEvent() {
    List<Long> messages = coveredMessages(4);
    long target = messages.get(2);
    assertVerified();

    flipFirstPayloadByte(target);
    try {
      assertBrokenAt(target);
    } finally {
      flipFirstPayloadByte(target); // XOR again: the original bytes
    }
    assertVerified();
  }

  @Test
  void oneDeletedRow_breaksAtThatEvent() {
    List<Long> messages = coveredMessages(4);
    long target = messages.get(1);
    Map<String, Object> row =
        jdbc.queryForMap("select * from domain_event_entry where global_index = ?", target);
    assertVerified();

    tamper("domain_event_entry", "delete from domain_event_entry where global_index = ?", target);
    try {
      assertBrokenAt(target);
    } finally {
      jdbc.update(
          "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
              + " sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
              + " meta_data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          row.get("global_index"),
          row.get("event_identifier"),
          row.get("aggregate_identifier"),
          row.get("sequence_number"),
          row.get("type"),
          row.get("time_stamp"),
          row.get("payload_type"),
          row.get("payload_revision"),
          row.get("payload"),
          row.get("meta_data"));
    }
    assertVerified();
  }

  @Test
  void twoSwappedPayloads_breakAtTheFirstOfThemInTheChain() {
    List<Long> messages = coveredMessages(5);
    long first = messages.get(1);
    long second = messages.get(3);
    assertVerified();

    swapPayloads(first, second);
    try {
      assertBrokenAt(first);
    } finally {
      swapPayloads(first, second);
    }
    assertVerified();
  }

  @Test
  void legitimateHoles_neverFilled_doNotBreakTheChain() {
    coveredMessages(1);
    // A sequence value taken and never used (as by a crashed insert), and an insert rolled back.
    long consumed =
        jdbc.queryForObject("select nextval('domain_event_entry_global_index_seq')", Long.class);
    TransactionTemplate rolledBack = new TransactionTemplate(transactions);
    long[] rolledBackIndex = new long[1];
    rolledBack.executeWithoutResult(
        status -> {
          rolledBackIndex[0] = insertCloneOfAnEvent(sql -> jdbc.queryForObject(sql, Long.class));
          status.setRollbackOnly();
        });
    List<Long> after = coveredMessages(2);

    assertThat(after.get(0)).isGreaterThan(rolledBackIndex[0]).isGreaterThan(consumed);
    assertThat(storedOrChained(consumed)).isZero();
    assertThat(storedOrChained(rolledBackIndex[0])).isZero();
    JsonNode answer = assertVerified();
    assertThat(answer.get("events").asLong())
        .isEqualTo(jdbc.queryForObject("select count(*) from audit_chain", Long.class));
  }

  @Test
  void anEventCommittedLateIntoAGap_isCoveredAfterTheEventsThatOvertookIt() throws Exception {
    coveredMessages(1);
    integrity(); // an AuditAccessedEvent to clone: handled by no projection
    long late;
    try (Connection slow = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      late =
          insertCloneOfAnEvent(
              sql -> {
                try (PreparedStatement statement = slow.prepareStatement(sql);
                    ResultSet rows = statement.executeQuery()) {
                  rows.next();
                  return rows.getLong(1);
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      List<Long> overtaking = coveredMessages(2); // committed, and chained, while late is not
      assertThat(overtaking.get(0)).isGreaterThan(late);
      assertThat(storedOrChained(late)).isZero();

      slow.commit();
    }

    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from audit_chain where global_index = ?", Long.class, late),
        count -> count == 1);
    Long latePosition =
        jdbc.queryForObject(
            "select position from audit_chain where global_index = ?", Long.class, late);
    Long overtakenBy =
        jdbc.queryForObject(
            "select max(position) from audit_chain where global_index > ? and global_index < ?",
            Long.class,
            late,
            late + 50);
    assertThat(latePosition).isGreaterThan(overtakenBy);
    assertVerified();
  }

  @Test
  void anEventSmuggledIntoAnOldHole_breaksAtThatEvent() {
    coveredMessages(1);
    integrity(); // an AuditAccessedEvent to clone: handled by no projection
    long hole =
        jdbc.queryForObject("select nextval('domain_event_entry_global_index_seq')", Long.class);
    // An event older than Axon's gap timeout after the hole: the processor's token drops the gap,
    // as it does in production once the hole is old. This event itself is chained normally.
    long old = insertClone(null, "2020-01-01T00:00:00Z");
    assertThat(old).isGreaterThan(hole);
    List<Long> after = coveredMessages(1);
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from audit_chain where global_index = ?", Long.class, old),
        count -> count == 1);
    assertVerified();

    insertClone(hole, "2020-01-01T00:00:01Z");
    try {
      // The processor moves on (a later event is chained) and does not receive it.
      long next = insertClone(null, java.time.Instant.now().toString());
      eventually(
          () ->
              jdbc.queryForObject(
                  "select count(*) from audit_chain where global_index = ?", Long.class, next),
          count -> count == 1);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_chain where global_index = ?", Long.class, hole))
          .isZero();
      assertThat(after.get(0)).isGreaterThan(hole);
      assertBrokenAt(hole);
    } finally {
      tamper("domain_event_entry", "delete from domain_event_entry where global_index = ?", hole);
    }
    assertVerified();
  }

  /** A copy of the newest AuditAccessedEvent at {@code globalIndex} (null: the next). */
  private long insertClone(Long globalIndex, String timeStamp) {
    String id = UUID.randomUUID().toString();
    return jdbc.queryForObject(
        "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
            + " sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
            + " meta_data) select coalesce(?, nextval('domain_event_entry_global_index_seq')),"
            + " ?, ?, 0, type, ?, payload_type, payload_revision, payload, meta_data"
            + " from domain_event_entry where payload_type = 'io.parley.api.audit.AuditAccessedEvent'"
            + " order by global_index desc limit 1 returning global_index",
        Long.class,
        globalIndex,
        id,
        id,
        timeStamp);
  }

  // --- helpers ---

  /**
   * Sends {@code n} messages into a new conversation; their global indexes once all are chained.
   */
  private List<Long> coveredMessages(int n) {
    Response created =
        api.postJson("/api/v1/conversations", user, Map.of("title", "tamper " + UUID.randomUUID()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String room = created.json().get("conversationId").asText();
    for (int i = 0; i < n; i++) {
      Response sent =
          api.postJson(
              "/api/v1/conversations/" + room + "/messages", user, Map.of("text", "m" + i));
      assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }
    List<Long> indexes =
        jdbc.queryForList(
            "select global_index from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type = ? order by global_index",
            Long.class,
            room,
            MESSAGE_SENT);
    assertThat(indexes).hasSize(n);
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from audit_chain where global_index >= ?",
                Long.class,
                indexes.get(0)),
        count -> count >= n);
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from domain_event_entry e where e.global_index <= ? and not"
                    + " exists (select 1 from audit_chain c where c.global_index = e.global_index)",
                Long.class,
                indexes.get(n - 1)),
        uncovered -> uncovered == 0);
    return indexes;
  }

  /** Runs an insert … returning global_index on some connection. */
  interface Insert {
    long returningIndex(String sql);
  }

  /** Inserts a copy of the newest AuditAccessedEvent (new ids); returns its global index. */
  private static long insertCloneOfAnEvent(Insert insert) {
    String id = UUID.randomUUID().toString();
    return insert.returningIndex(
        "insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number,"
            + " type, time_stamp, payload_type, payload_revision, payload, meta_data)"
            + " select '"
            + id
            + "', '"
            + id
            + "', 0, type, time_stamp, payload_type, payload_revision, payload, meta_data"
            + " from domain_event_entry order by"
            + " (payload_type = 'io.parley.api.audit.AuditAccessedEvent') desc, global_index desc"
            + " limit 1 returning global_index");
  }

  private long storedOrChained(long globalIndex) {
    return jdbc.queryForObject(
        "select (select count(*) from domain_event_entry where global_index = ?)"
            + " + (select count(*) from audit_chain where global_index = ?)",
        Long.class,
        globalIndex,
        globalIndex);
  }

  private void flipFirstPayloadByte(long globalIndex) {
    tamper(
        "domain_event_entry",
        "update domain_event_entry set payload = set_byte(payload, 0, get_byte(payload, 0) # 1)"
            + " where global_index = ?",
        globalIndex);
  }

  private void swapPayloads(long a, long b) {
    tamper(
        "domain_event_entry",
        "update domain_event_entry d set payload = o.payload from domain_event_entry o"
            + " where (d.global_index, o.global_index) in ((?, ?), (?, ?))",
        a,
        b,
        b,
        a);
  }

  /** One transaction: guard triggers off, the edit, guard triggers on again. */
  private void tamper(String table, String sql, Object... arguments) {
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              jdbc.execute("alter table " + table + " disable trigger user");
              assertThat(jdbc.update(sql, arguments)).isPositive();
              jdbc.execute("alter table " + table + " enable trigger user");
            });
  }

  private Response integrity() {
    Response answer =
        api.get("/api/v1/audit/integrity", officer, Map.of("X-Audit-Reason", "tampering test"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer;
  }

  private JsonNode assertVerified() {
    JsonNode answer = integrity().json();
    assertThat(answer.get("verified").asBoolean()).as(answer.toString()).isTrue();
    assertThat(answer.get("head").asText()).hasSize(64);
    return answer;
  }

  private void assertBrokenAt(long globalIndex) {
    JsonNode answer = integrity().json();
    assertThat(answer.get("verified").asBoolean()).as(answer.toString()).isFalse();
    assertThat(answer.get("firstBrokenAt").asLong()).as(answer.toString()).isEqualTo(globalIndex);
    assertThat(answer.has("head")).isFalse();
  }

  private static <T> T eventually(Supplier<T> read, Predicate<T> until) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(read::get, until::test);
  }
}
