package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.BLOCKED_MESSAGE;
import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;
import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;
import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.GoneException;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.conversation.ConversationProjection;
import io.parley.query.moderation.ModerationProjection;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.query.timeline.TimelineProjection;
import io.parley.testsupport.MigratedDatabase;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The GDPR export reads every section from one REPEATABLE READ snapshot. The writer runs as in the
 * application (jOOQ on a transaction-aware data source, Spring's JDBC transaction manager); a jOOQ
 * listener on its {@code DSLContext} lets another connection commit changes to every section right
 * after the export's n-th query, in the same thread: the interleaving is exact, without sleeps or
 * races.
 */
class SubjectExportWriterTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
  static final UUID ADAS = UUID.fromString("00000000-0000-0000-0000-00000000ada1");
  static final UUID BOBS = UUID.fromString("00000000-0000-0000-0000-00000000b0b1");
  static final UUID ADAS_NEW = UUID.fromString("00000000-0000-0000-0000-00000000ada2");
  static final ObjectMapper JSON = new ObjectMapper();

  static MigratedDatabase database;
  static DSLContext db;

  /** Reads the current export has made so far. */
  final AtomicInteger queries = new AtomicInteger();

  /** Runs once, right after the export's read number {@code commitAfterQuery} has executed. */
  Runnable concurrentCommit;

  int commitAfterQuery;
  boolean committed;
  SubjectExportWriter writer;

  @BeforeAll
  static void migrate() {
    database = MigratedDatabase.create();
    db = database.dsl();
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @BeforeEach
  void seedAdasData() {
    Rows.truncate(
        db,
        CONSENT,
        CONSENT_HISTORY,
        CONVERSATION_SUMMARY,
        CONVERSATION_PARTICIPANT,
        TIMELINE_MESSAGE,
        BLOCKED_MESSAGE,
        MODERATION_FLAG,
        DATA_SUBJECT_STATUS);
    writer = writerWithHook();
    project(
        db,
        new ConsentGrantedEvent("ada", ConsentPurpose.ANALYTICS, "v1", T0),
        new ConsentGrantedEvent("ada", ConsentPurpose.CARD_GENERATION, "v1", T0.plusSeconds(1)),
        started(ADAS, "ada", "Ada's plans", T0.plusSeconds(2)),
        started(BOBS, "bob", "Bob's secret plans", T0.plusSeconds(3)),
        sent(ADAS, id(1), 1, "ada", "hello from ada", T0.plusSeconds(10)),
        sent(ADAS, id(2), 2, "bob", "hello from bob", T0.plusSeconds(11)),
        sent(BOBS, id(3), 1, "ada", "ada in bob's", T0.plusSeconds(12)),
        blocked(id(4), "ada", "ada's blocked words", T0.plusSeconds(13)),
        flag(id(5), id(2), "bob", "ada", "spam", "ads", T0.plusSeconds(14)),
        flag(id(6), id(1), "ada", "bob", "rude", "bob's own note", T0.plusSeconds(15)));
  }

  /** What another node's projections commit while the export runs: a change in every section. */
  static void commitChangesToEverySection() {
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      project(
          DSL.using(connection, SQLDialect.POSTGRES),
          new ConsentWithdrawnEvent("ada", ConsentPurpose.ANALYTICS, "v2", T0.plusSeconds(100)),
          started(ADAS_NEW, "ada", "Ada's new plans", T0.plusSeconds(100)),
          sent(ADAS, id(7), 3, "ada", "ada once more", T0.plusSeconds(100)),
          new MessageRemovedEvent(ADAS, id(1), "ada", id(6), "mod", T0.plusSeconds(100)),
          blocked(id(8), "ada", "more blocked words", T0.plusSeconds(100)),
          flag(id(9), id(2), "bob", "ada", "spam again", null, T0.plusSeconds(100)),
          flag(id(10), id(3), "ada", "bob", "again", null, T0.plusSeconds(100)),
          new FlagReviewStartedEvent(id(6), id(1), "mod", T0.plusSeconds(100)));
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void export_holdsTheSubjectsOwnData_andNoOneElses() throws Exception {
    JsonNode export = export();

    assertThat(export.get("subjectId").asText()).isEqualTo("ada");
    assertThat(export.get("generatedAt").asText()).isEqualTo(CLOCK.instant().toString());
    assertThat(export.get("consents"))
        .extracting(c -> c.get("purpose").asText())
        .containsExactly("ANALYTICS", "CARD_GENERATION");
    assertThat(export.get("consentHistory")).hasSize(2);
    JsonNode owned = export.get("conversations").get(0);
    JsonNode joined = export.get("conversations").get(1);
    assertThat(owned.get("role").asText()).isEqualTo("OWNER");
    assertThat(owned.get("title").asText()).isEqualTo("Ada's plans");
    assertThat(joined.get("role").asText()).isEqualTo("PARTICIPANT");
    assertThat(joined.has("title")).isFalse(); // bob's title is bob's data
    assertThat(export.get("messages"))
        .extracting(m -> m.get("text").asText())
        .containsExactly("hello from ada", "ada in bob's", "ada's blocked words");
    assertThat(export.get("flagsRaised")).hasSize(1);
    assertThat(export.get("flagsRaised").get(0).get("note").asText()).isEqualTo("ads");
    JsonNode against = export.get("flagsAgainst").get(0);
    assertThat(against.get("flagId").asText()).isEqualTo(id(6).toString());
    assertThat(against.has("reason")).isFalse(); // the flagger's words are the flagger's data
    assertThat(against.has("note")).isFalse();
  }

  /**
   * The export makes seven reads (consents, consent history, conversations, messages, blocked
   * messages, flags raised, flags against); a commit between any two of them must not show.
   */
  @ParameterizedTest(name = "commit after read {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void rowsCommittedWhileTheExportIsWritten_doNotAppearInIt(int afterRead) throws Exception {
    String before = exportText();

    commitAfterQuery = afterRead;
    concurrentCommit = SubjectExportWriterTest::commitChangesToEverySection;
    String during = exportText();
    assertThat(committed).as("the concurrent commit ran").isTrue();

    assertThat(during).isEqualTo(before);
    assertConsentsAgreeWithTheirHistory(JSON.readTree(during));
    assertThat(exportText()).as("an export started after the commit").isNotEqualTo(before);
  }

  @Test
  void exportAfterTheCommit_showsEveryCommittedChange() throws Exception {
    JsonNode before = export();
    commitChangesToEverySection();

    JsonNode after = export();

    assertThat(after.get("consents").get(0).get("granted").asBoolean()).isFalse();
    assertThat(after.get("consentHistory")).hasSize(before.get("consentHistory").size() + 1);
    assertThat(after.get("conversations")).hasSize(before.get("conversations").size() + 1);
    assertThat(after.get("messages")).hasSize(before.get("messages").size() + 2);
    assertThat(after.get("messages").get(0).get("removed").asBoolean()).isTrue();
    assertThat(after.get("flagsRaised")).hasSize(before.get("flagsRaised").size() + 1);
    assertThat(after.get("flagsAgainst")).hasSize(before.get("flagsAgainst").size() + 1);
    assertThat(after.get("flagsAgainst").get(0).get("status").asText()).isEqualTo("REVIEWING");
    assertConsentsAgreeWithTheirHistory(after);
  }

  @Test
  void erasedSubject_isGone_whilePendingAndUnknownSubjectsAreExportable() {
    project(
        db,
        new ErasureRequestedEvent("bob", id(20), "bob", null, T0, T0.plus(Duration.ofDays(30))),
        new SubjectErasedEvent("cy", id(21), T0, 1, 0, 0, 0));

    assertThatThrownBy(() -> writer.requireExportable("cy")).isInstanceOf(GoneException.class);
    assertThatCode(() -> writer.requireExportable("bob")).doesNotThrowAnyException();
    assertThatCode(() -> writer.requireExportable("ada")).doesNotThrowAnyException();
  }

  /** The newest history entry of each purpose is that purpose's current consent. */
  private static void assertConsentsAgreeWithTheirHistory(JsonNode export) {
    Map<String, Boolean> latest = new HashMap<>();
    export
        .get("consentHistory")
        .forEach(h -> latest.put(h.get("purpose").asText(), h.get("granted").asBoolean()));
    Map<String, Boolean> current = new HashMap<>();
    export
        .get("consents")
        .forEach(c -> current.put(c.get("purpose").asText(), c.get("granted").asBoolean()));
    assertThat(current).isEqualTo(latest);
  }

  /** The writer as the application builds it, plus a listener that counts its reads. */
  private SubjectExportWriter writerWithHook() {
    ExecuteListener afterRead =
        new ExecuteListener() {
          @Override
          public void executeEnd(ExecuteContext ctx) {
            if (queries.incrementAndGet() == commitAfterQuery && concurrentCommit != null) {
              concurrentCommit.run();
              committed = true;
            }
          }
        };
    var transactionAware = new TransactionAwareDataSourceProxy(database.dataSource());
    DSLContext exportDb =
        DSL.using(
            new DefaultConfiguration()
                .set(SQLDialect.POSTGRES)
                .set(new DataSourceConnectionProvider(transactionAware))
                .set(new DefaultExecuteListenerProvider(afterRead)));
    return new SubjectExportWriter(
        exportDb, new DataSourceTransactionManager(database.dataSource()), CLOCK);
  }

  private String exportText() {
    queries.set(0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write("ada", out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private JsonNode export() throws Exception {
    return JSON.readTree(exportText());
  }

  /** Hands each event to the projection that handles it, on {@code target}. */
  static void project(DSLContext target, Object... events) {
    List<Projector> projections =
        List.of(
            new Projector(new ConsentProjection(target)),
            new Projector(new DataSubjectStatusProjection(target)),
            new Projector(new ConversationProjection(target)),
            new Projector(new TimelineProjection(target)),
            new Projector(new ModerationProjection(target)));
    for (Object event : events) {
      var message = Projector.event(event);
      boolean handled = false;
      for (Projector projection : projections) {
        if (projection.canHandle(message)) {
          projection.handle(message);
          handled = true;
        }
      }
      assertThat(handled).as("some projection handles " + event).isTrue();
    }
  }

  static UUID id(int n) {
    return UUID.fromString("00000000-0000-0000-0000-%012d".formatted(n));
  }

  static ConversationStartedEvent started(UUID id, String owner, String title, Instant at) {
    return new ConversationStartedEvent(
        id,
        owner,
        title,
        new LinkedHashSet<>(List.of("ada", "bob")),
        new BigDecimal("0.500"),
        new BigDecimal("0.900"),
        at);
  }

  static MessageSentEvent sent(
      UUID conversation, UUID id, long position, String sender, String text, Instant at) {
    return new MessageSentEvent(
        conversation,
        id,
        position,
        sender,
        text,
        Verdict.ALLOWED,
        ToxicityScores.NONE.highest(),
        ToxicityScores.NONE,
        "lexicon",
        at);
  }

  static MessageBlockedEvent blocked(UUID id, String sender, String text, Instant at) {
    return new MessageBlockedEvent(
        ADAS, id, sender, text, ToxicityScores.of(0.95, 0.5, 0.9, 0.2), "lexicon", at);
  }

  static FlagRaisedEvent flag(
      UUID flagId,
      UUID messageId,
      String sender,
      String flagger,
      String reason,
      String note,
      Instant at) {
    return new FlagRaisedEvent(
        flagId, messageId, ADAS, sender, flagger, reason, note, new BigDecimal("0.100"), at);
  }
}
