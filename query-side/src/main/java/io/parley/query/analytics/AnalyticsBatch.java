package io.parley.query.analytics;

import static io.parley.migrations.jooq.Tables.ANALYTICS_CONSENT;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_CARD;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_FLAG;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_MESSAGE;
import static io.parley.migrations.jooq.analytics.Tables.CARD_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.CONVERSATION_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.MODERATION_DAILY;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Result;
import org.jooq.Row2;
import org.jooq.Row3;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * One batch of the analytics projection, decided and written when it commits: the events in the
 * order the processor handed them over, each counted or not by its subject's {@code ANALYTICS}
 * consent at that point of the stream (the stored view, changed by the batch's own consent events
 * as they come). Then a handful of statements for the whole batch, whatever its size:
 *
 * <ol>
 *   <li>the consent view: grants inserted, withdrawals and erasures deleted;
 *   <li>counted messages remembered by id ({@code ON CONFLICT DO NOTHING RETURNING}); only those
 *       new to the table are added to {@code conversation_daily}, in one upsert;
 *   <li>counted flags remembered, resolutions recorded on flags not yet resolved;
 *   <li>{@code moderation_daily} recomputed for the (day, source) groups those touched: counts per
 *       outcome and the median time to resolution;
 *   <li>counted cards remembered by id; only those new to the table are added to {@code
 *       card_daily}, in one upsert.
 * </ol>
 */
final class AnalyticsBatch {

  /** The outcome of a counted flag no moderator has decided yet. */
  static final String UNRESOLVED = "UNRESOLVED";

  /** One event of the batch, as the projection needs it. */
  sealed interface Step permits Consent, Message, FlagRaised, FlagResolved, CardGenerated {}

  /** The subject granted (true) or withdrew ANALYTICS, or was erased (false). */
  record Consent(String subjectId, boolean granted) implements Step {}

  enum MessageKind {
    ALLOWED,
    WARNED,
    BLOCKED
  }

  /** A message sent (ALLOWED, WARNED) or blocked, counted if its sender consents. */
  record Message(
      String subjectId, UUID messageId, UUID conversationId, LocalDate day, MessageKind kind)
      implements Step {}

  /** A flag raised, counted if {@code subjectId} (whose activity it is) consents. */
  record FlagRaised(String subjectId, UUID flagId, LocalDate day, String source) implements Step {}

  /** A flag resolved; counted where the flag was. */
  record FlagResolved(UUID flagId, String outcome, BigDecimal seconds) implements Step {}

  /**
   * A card made (READY), counted only if every one of its contributors consents (a card without
   * contributors has no consenting person and is not counted).
   */
  record CardGenerated(List<String> contributorIds, UUID cardId, LocalDate day, String rarity)
      implements Step {}

  private record ConversationDay(LocalDate day, UUID conversationId) {}

  private record FlagGroup(LocalDate day, String source) {}

  private record CardDay(LocalDate day, String rarity) {}

  private final DSLContext db;
  private final List<Step> steps;

  AnalyticsBatch(DSLContext db, List<Step> steps) {
    this.db = db;
    this.steps = steps;
  }

  void write() {
    Set<String> granted = grantedAmong(subjects());
    Map<String, Boolean> consentChanges = new LinkedHashMap<>();
    Map<UUID, Message> messages = new LinkedHashMap<>();
    Map<UUID, FlagRaised> flags = new LinkedHashMap<>();
    Map<UUID, FlagResolved> resolutions = new LinkedHashMap<>();
    Map<UUID, CardGenerated> cards = new LinkedHashMap<>();
    for (Step step : steps) {
      if (step instanceof Consent consent) {
        if (consent.granted()) {
          granted.add(consent.subjectId());
        } else {
          granted.remove(consent.subjectId());
        }
        consentChanges.put(consent.subjectId(), consent.granted());
      } else if (step instanceof Message message) {
        if (granted.contains(message.subjectId())) {
          messages.putIfAbsent(message.messageId(), message);
        }
      } else if (step instanceof FlagRaised flag) {
        if (granted.contains(flag.subjectId())) {
          flags.putIfAbsent(flag.flagId(), flag);
        }
      } else if (step instanceof FlagResolved resolved) {
        resolutions.putIfAbsent(resolved.flagId(), resolved);
      } else if (step instanceof CardGenerated card) {
        if (!card.contributorIds().isEmpty() && granted.containsAll(card.contributorIds())) {
          cards.putIfAbsent(card.cardId(), card);
        }
      }
    }
    writeConsent(consentChanges);
    countMessages(messages);
    Set<FlagGroup> touched = new LinkedHashSet<>();
    touched.addAll(countFlags(flags));
    touched.addAll(resolve(resolutions));
    recomputeModeration(touched);
    countCards(cards);
  }

  private Set<String> subjects() {
    Set<String> subjects = new HashSet<>();
    for (Step step : steps) {
      if (step instanceof Consent consent) {
        subjects.add(consent.subjectId());
      } else if (step instanceof Message message) {
        subjects.add(message.subjectId());
      } else if (step instanceof FlagRaised flag) {
        subjects.add(flag.subjectId());
      } else if (step instanceof CardGenerated card) {
        subjects.addAll(card.contributorIds());
      }
    }
    return subjects;
  }

  /** Those of {@code subjects} the stored view says have granted ANALYTICS. */
  private Set<String> grantedAmong(Set<String> subjects) {
    if (subjects.isEmpty()) {
      return new HashSet<>();
    }
    return new HashSet<>(
        db.select(ANALYTICS_CONSENT.SUBJECT_ID)
            .from(ANALYTICS_CONSENT)
            .where(ANALYTICS_CONSENT.SUBJECT_ID.in(subjects))
            .fetch(ANALYTICS_CONSENT.SUBJECT_ID));
  }

  private void writeConsent(Map<String, Boolean> changes) {
    List<String> grants =
        changes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    List<String> withdrawals =
        changes.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    if (!grants.isEmpty()) {
      var insert = db.insertInto(ANALYTICS_CONSENT, ANALYTICS_CONSENT.SUBJECT_ID);
      for (String subject : grants) {
        insert = insert.values(subject);
      }
      insert.onConflictDoNothing().execute();
    }
    if (!withdrawals.isEmpty()) {
      db.deleteFrom(ANALYTICS_CONSENT)
          .where(ANALYTICS_CONSENT.SUBJECT_ID.in(withdrawals))
          .execute();
    }
  }

  /** Remembers the counted messages; adds those not counted before to their conversation's day. */
  private void countMessages(Map<UUID, Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    var remember =
        db.insertInto(
            ANALYTICS_COUNTED_MESSAGE,
            ANALYTICS_COUNTED_MESSAGE.MESSAGE_ID,
            ANALYTICS_COUNTED_MESSAGE.DAY);
    for (Message message : messages.values()) {
      remember = remember.values(message.messageId(), message.day());
    }
    List<UUID> fresh =
        remember
            .onConflictDoNothing()
            .returningResult(ANALYTICS_COUNTED_MESSAGE.MESSAGE_ID)
            .fetch(ANALYTICS_COUNTED_MESSAGE.MESSAGE_ID);
    Map<ConversationDay, int[]> counts = new LinkedHashMap<>();
    for (UUID id : fresh) {
      Message message = messages.get(id);
      int[] count =
          counts.computeIfAbsent(
              new ConversationDay(message.day(), message.conversationId()), k -> new int[3]);
      switch (message.kind()) {
        case ALLOWED -> count[0]++;
        case WARNED -> {
          count[0]++;
          count[1]++;
        }
        case BLOCKED -> count[2]++;
      }
    }
    if (counts.isEmpty()) {
      return;
    }
    var add =
        db.insertInto(
            CONVERSATION_DAILY,
            CONVERSATION_DAILY.DAY,
            CONVERSATION_DAILY.CONVERSATION_ID,
            CONVERSATION_DAILY.MESSAGES_SENT,
            CONVERSATION_DAILY.MESSAGES_WARNED,
            CONVERSATION_DAILY.MESSAGES_BLOCKED);
    for (var entry : counts.entrySet()) {
      int[] count = entry.getValue();
      add =
          add.values(
              entry.getKey().day(), entry.getKey().conversationId(), count[0], count[1], count[2]);
    }
    add.onConflict(CONVERSATION_DAILY.DAY, CONVERSATION_DAILY.CONVERSATION_ID)
        .doUpdate()
        .set(
            CONVERSATION_DAILY.MESSAGES_SENT,
            CONVERSATION_DAILY.MESSAGES_SENT.plus(DSL.excluded(CONVERSATION_DAILY.MESSAGES_SENT)))
        .set(
            CONVERSATION_DAILY.MESSAGES_WARNED,
            CONVERSATION_DAILY.MESSAGES_WARNED.plus(
                DSL.excluded(CONVERSATION_DAILY.MESSAGES_WARNED)))
        .set(
            CONVERSATION_DAILY.MESSAGES_BLOCKED,
            CONVERSATION_DAILY.MESSAGES_BLOCKED.plus(
                DSL.excluded(CONVERSATION_DAILY.MESSAGES_BLOCKED)))
        .execute();
  }

  /** Remembers the counted cards; adds those not counted before to their day and rarity. */
  private void countCards(Map<UUID, CardGenerated> cards) {
    if (cards.isEmpty()) {
      return;
    }
    var remember =
        db.insertInto(
            ANALYTICS_COUNTED_CARD,
            ANALYTICS_COUNTED_CARD.CARD_ID,
            ANALYTICS_COUNTED_CARD.DAY,
            ANALYTICS_COUNTED_CARD.RARITY);
    for (CardGenerated card : cards.values()) {
      remember = remember.values(card.cardId(), card.day(), card.rarity());
    }
    Map<CardDay, Integer> counts = new LinkedHashMap<>();
    remember
        .onConflictDoNothing()
        .returningResult(ANALYTICS_COUNTED_CARD.DAY, ANALYTICS_COUNTED_CARD.RARITY)
        .fetch()
        .forEach(row -> counts.merge(new CardDay(row.value1(), row.value2()), 1, Integer::sum));
    if (counts.isEmpty()) {
      return;
    }
    var add = db.insertInto(CARD_DAILY, CARD_DAILY.DAY, CARD_DAILY.RARITY, CARD_DAILY.CARDS);
    for (var entry : counts.entrySet()) {
      add = add.values(entry.getKey().day(), entry.getKey().rarity(), entry.getValue());
    }
    add.onConflict(CARD_DAILY.DAY, CARD_DAILY.RARITY)
        .doUpdate()
        .set(CARD_DAILY.CARDS, CARD_DAILY.CARDS.plus(DSL.excluded(CARD_DAILY.CARDS)))
        .execute();
  }

  /** Remembers the counted flags; the groups of those new to the table. */
  private Set<FlagGroup> countFlags(Map<UUID, FlagRaised> flags) {
    if (flags.isEmpty()) {
      return Set.of();
    }
    var insert =
        db.insertInto(
            ANALYTICS_COUNTED_FLAG,
            ANALYTICS_COUNTED_FLAG.FLAG_ID,
            ANALYTICS_COUNTED_FLAG.DAY,
            ANALYTICS_COUNTED_FLAG.SOURCE);
    for (FlagRaised flag : flags.values()) {
      insert = insert.values(flag.flagId(), flag.day(), flag.source());
    }
    return groups(
        insert
            .onConflictDoNothing()
            .returningResult(ANALYTICS_COUNTED_FLAG.DAY, ANALYTICS_COUNTED_FLAG.SOURCE)
            .fetch());
  }

  /**
   * Records each resolution on its flag if the flag is counted and not resolved yet (a redelivered
   * resolution changes nothing); the groups of the flags it changed.
   */
  private Set<FlagGroup> resolve(Map<UUID, FlagResolved> resolutions) {
    if (resolutions.isEmpty()) {
      return Set.of();
    }
    @SuppressWarnings("unchecked")
    Row3<UUID, String, BigDecimal>[] rows =
        resolutions.values().stream()
            .map(
                r ->
                    DSL.row(
                        DSL.val(r.flagId(), ANALYTICS_COUNTED_FLAG.FLAG_ID),
                        DSL.val(r.outcome(), ANALYTICS_COUNTED_FLAG.OUTCOME),
                        DSL.val(r.seconds(), ANALYTICS_COUNTED_FLAG.RESOLUTION_SECONDS)))
            .toArray(Row3[]::new);
    Table<Record3<UUID, String, BigDecimal>> resolved =
        DSL.values(rows).as("resolved", "flag_id", "outcome", "seconds");
    Field<UUID> flagId = resolved.field("flag_id", UUID.class);
    return groups(
        db.update(ANALYTICS_COUNTED_FLAG)
            .set(ANALYTICS_COUNTED_FLAG.OUTCOME, resolved.field("outcome", String.class))
            .set(
                ANALYTICS_COUNTED_FLAG.RESOLUTION_SECONDS,
                resolved.field("seconds", BigDecimal.class))
            .from(resolved)
            .where(ANALYTICS_COUNTED_FLAG.FLAG_ID.eq(flagId))
            .and(ANALYTICS_COUNTED_FLAG.OUTCOME.isNull())
            .returningResult(ANALYTICS_COUNTED_FLAG.DAY, ANALYTICS_COUNTED_FLAG.SOURCE)
            .fetch());
  }

  private static Set<FlagGroup> groups(Result<Record2<LocalDate, String>> rows) {
    Set<FlagGroup> groups = new LinkedHashSet<>();
    rows.forEach(row -> groups.add(new FlagGroup(row.value1(), row.value2())));
    return groups;
  }

  /**
   * The rows of {@code moderation_daily} for these (day, source) groups, computed again from the
   * counted flags: a median cannot be updated by increments, and a resolution moves a flag from
   * {@value #UNRESOLVED} to its outcome.
   */
  private void recomputeModeration(Set<FlagGroup> groups) {
    if (groups.isEmpty()) {
      return;
    }
    List<Row2<LocalDate, String>> keys =
        groups.stream().map(g -> DSL.row(g.day(), g.source())).toList();
    db.deleteFrom(MODERATION_DAILY)
        .where(DSL.row(MODERATION_DAILY.DAY, MODERATION_DAILY.SOURCE).in(keys))
        .execute();
    Condition inGroups =
        DSL.row(ANALYTICS_COUNTED_FLAG.DAY, ANALYTICS_COUNTED_FLAG.SOURCE).in(keys);
    // Inlined, so that the select and the group by are the same expression to PostgreSQL.
    Field<String> outcomeKey = DSL.coalesce(ANALYTICS_COUNTED_FLAG.OUTCOME, DSL.inline(UNRESOLVED));
    Field<String> outcome = outcomeKey.as("outcome");
    Field<BigDecimal> median =
        DSL.round(
            DSL.percentileCont(DSL.inline(0.5))
                .withinGroupOrderBy(ANALYTICS_COUNTED_FLAG.RESOLUTION_SECONDS)
                .cast(SQLDataType.NUMERIC),
            3);
    db.insertInto(
            MODERATION_DAILY,
            MODERATION_DAILY.DAY,
            MODERATION_DAILY.SOURCE,
            MODERATION_DAILY.OUTCOME,
            MODERATION_DAILY.FLAGS,
            MODERATION_DAILY.MEDIAN_RESOLUTION_SECONDS)
        .select(
            db.select(
                    ANALYTICS_COUNTED_FLAG.DAY,
                    ANALYTICS_COUNTED_FLAG.SOURCE,
                    outcome,
                    DSL.count(),
                    median)
                .from(ANALYTICS_COUNTED_FLAG)
                .where(inGroups)
                .groupBy(ANALYTICS_COUNTED_FLAG.DAY, ANALYTICS_COUNTED_FLAG.SOURCE, outcomeKey))
        .execute();
  }
}
