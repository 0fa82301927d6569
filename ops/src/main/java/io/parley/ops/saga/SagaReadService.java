package io.parley.ops.saga;

import static io.parley.migrations.jooq.Tables.SAGA_JOURNAL;
import static io.parley.migrations.jooq.Tables.SAGA_JOURNAL_DEADLINE;
import static io.parley.migrations.jooq.Tables.SAGA_JOURNAL_EVENT;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

import io.parley.api.error.NotFoundException;
import io.parley.ops.saga.SagaViews.AssociationView;
import io.parley.ops.saga.SagaViews.DeadlineView;
import io.parley.ops.saga.SagaViews.SagaDetailView;
import io.parley.ops.saga.SagaViews.SagaInstanceView;
import io.parley.ops.saga.SagaViews.SagaTypeView;
import io.parley.ops.saga.SagaViews.SagasResponse;
import io.parley.ops.saga.SagaViews.TimelineEntryView;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Table;

/**
 * Reads saga types and instances: Axon's saga store ({@code saga_entry}, {@code
 * association_value_entry}) for what is active, the saga journal for start, end and the handled
 * events, and db-scheduler's {@code scheduled_tasks} joined through the journal's deadline index
 * (by primary key, no task data is read) for pending deadlines. Read-only, never a payload.
 */
public class SagaReadService {

  /** db-scheduler's task name for Axon's deadlines (DbSchedulerDeadlineManager). */
  public static final String DEADLINE_TASK = "AxonDeadline";

  private static final Table<?> SAGA_ENTRY = table(name("saga_entry"));
  private static final Field<String> ENTRY_ID = field(name("saga_entry", "saga_id"), String.class);
  private static final Field<String> ENTRY_TYPE =
      field(name("saga_entry", "saga_type"), String.class);

  private static final Table<?> ASSOCIATION = table(name("association_value_entry"));
  private static final Field<String> ASSOCIATION_SAGA =
      field(name("association_value_entry", "saga_id"), String.class);
  private static final Field<String> ASSOCIATION_KEY =
      field(name("association_value_entry", "association_key"), String.class);
  private static final Field<String> ASSOCIATION_VALUE =
      field(name("association_value_entry", "association_value"), String.class);

  private static final Table<?> TASKS = table(name("scheduled_tasks"));
  private static final Field<String> TASK_NAME =
      field(name("scheduled_tasks", "task_name"), String.class);
  private static final Field<String> TASK_INSTANCE =
      field(name("scheduled_tasks", "task_instance"), String.class);
  private static final Field<OffsetDateTime> TASK_DUE =
      field(name("scheduled_tasks", "execution_time"), OffsetDateTime.class);

  private final DSLContext db;
  private final AssociationMask mask;
  private final Supplier<Collection<String>> registeredTypes;
  private final int timelineLength;

  /**
   * @param registeredTypes the saga classes' names the application runs (listed with zero counts
   *     before their first instance)
   * @param timelineLength the newest handled events shown per instance (the journal's cap)
   */
  public SagaReadService(
      DSLContext db,
      AssociationMask mask,
      Supplier<Collection<String>> registeredTypes,
      int timelineLength) {
    this.db = db;
    this.mask = mask;
    this.registeredTypes = registeredTypes;
    this.timelineLength = timelineLength;
  }

  /** A page of instances (all types, or {@code type}'s), ordered by saga id, after a cursor. */
  public SagasResponse list(String type, String afterSagaId, int limit) {
    List<SagaTypeView> types = new ArrayList<>();
    Map<String, String> byFullName = types(types);
    Condition entryType = noCondition();
    Condition journalType = noCondition();
    if (type != null) {
      String fullName = resolve(type, byFullName);
      entryType = ENTRY_TYPE.eq(fullName);
      journalType = SAGA_JOURNAL.SAGA_TYPE.eq(fullName);
    }
    Condition entryAfter = afterSagaId == null ? noCondition() : ENTRY_ID.gt(afterSagaId);
    Condition journalAfter =
        afterSagaId == null ? noCondition() : SAGA_JOURNAL.SAGA_ID.gt(afterSagaId);
    // Each side is limited on its own (an index range scan from the cursor), then merged.
    List<Record2<String, String>> rows =
        db.select(ENTRY_ID, ENTRY_TYPE)
            .from(SAGA_ENTRY)
            .where(entryType.and(entryAfter))
            .orderBy(ENTRY_ID)
            .limit(limit + 1)
            .union(
                select(SAGA_JOURNAL.SAGA_ID, SAGA_JOURNAL.SAGA_TYPE)
                    .from(SAGA_JOURNAL)
                    .where(SAGA_JOURNAL.ENDED_AT.isNotNull().and(journalType).and(journalAfter))
                    .orderBy(SAGA_JOURNAL.SAGA_ID)
                    .limit(limit + 1))
            .orderBy(1)
            .limit(limit + 1)
            .fetch();
    boolean more = rows.size() > limit;
    List<Record2<String, String>> page = more ? rows.subList(0, limit) : rows;
    Map<String, String> ids = new LinkedHashMap<>();
    page.forEach(r -> ids.put(r.value1(), r.value2()));
    List<SagaInstanceView> items = instances(ids);
    String next = more ? SagaCursor.encode(page.get(page.size() - 1).value1()) : null;
    return new SagasResponse(types, items, next);
  }

  /** One instance with its timeline; active, or ended and still in the journal. */
  public SagaDetailView instance(String sagaId) {
    String type =
        db.select(ENTRY_TYPE)
            .from(SAGA_ENTRY)
            .where(ENTRY_ID.eq(sagaId))
            .fetchOptional(ENTRY_TYPE)
            .or(
                () ->
                    db.select(SAGA_JOURNAL.SAGA_TYPE)
                        .from(SAGA_JOURNAL)
                        .where(SAGA_JOURNAL.SAGA_ID.eq(sagaId))
                        .fetchOptional(SAGA_JOURNAL.SAGA_TYPE))
            .orElseThrow(() -> new NotFoundException("No such saga"));
    SagaInstanceView view = instances(Map.of(sagaId, type)).get(0);
    List<TimelineEntryView> timeline =
        new ArrayList<>(
            db.select(
                    SAGA_JOURNAL_EVENT.GLOBAL_INDEX,
                    SAGA_JOURNAL_EVENT.EVENT_TYPE,
                    SAGA_JOURNAL_EVENT.HANDLED_AT)
                .from(SAGA_JOURNAL_EVENT)
                .where(SAGA_JOURNAL_EVENT.SAGA_ID.eq(sagaId))
                .orderBy(SAGA_JOURNAL_EVENT.GLOBAL_INDEX.desc())
                .limit(timelineLength)
                .fetch(r -> new TimelineEntryView(r.value1(), r.value2(), instant(r.value3()))));
    Collections.reverse(timeline);
    return new SagaDetailView(
        view.sagaId(),
        view.type(),
        view.associations(),
        view.startedAt(),
        view.endedAt(),
        view.deadlines(),
        timeline);
  }

  /**
   * Fills {@code views} with every type (registered, active or journalled) and its counts, sorted
   * by shown name; returns full name → shown name.
   */
  private Map<String, String> types(List<SagaTypeView> views) {
    Map<String, Long> active = new TreeMap<>();
    Map<String, Long> ended = new TreeMap<>();
    Set<String> all = new HashSet<>(registeredTypes.get());
    db.select(ENTRY_TYPE, count())
        .from(SAGA_ENTRY)
        .groupBy(ENTRY_TYPE)
        .forEach(
            r -> {
              if (r.value1() != null) {
                active.put(r.value1(), r.value2().longValue());
              }
            });
    db.select(SAGA_JOURNAL.SAGA_TYPE, count())
        .from(SAGA_JOURNAL)
        .where(SAGA_JOURNAL.ENDED_AT.isNotNull())
        .groupBy(SAGA_JOURNAL.SAGA_TYPE)
        .forEach(r -> ended.put(r.value1(), r.value2().longValue()));
    all.addAll(active.keySet());
    all.addAll(ended.keySet());
    Map<String, String> shown = new LinkedHashMap<>();
    all.stream()
        .filter(Objects::nonNull)
        .sorted((a, b) -> shownName(a).compareTo(shownName(b)))
        .forEach(
            t -> {
              shown.put(t, shownName(t));
              views.add(
                  new SagaTypeView(
                      shownName(t), active.getOrDefault(t, 0L), ended.getOrDefault(t, 0L)));
            });
    return shown;
  }

  /** A type as the API names it (simple name) or in full; unknown is a 404. */
  static String resolve(String type, Map<String, String> byFullName) {
    for (Map.Entry<String, String> t : byFullName.entrySet()) {
      if (t.getKey().equals(type) || t.getValue().equals(type)) {
        return t.getKey();
      }
    }
    throw new NotFoundException("No such saga type");
  }

  /** A saga class's simple name: {@code io.parley.saga.card.CardGenerationSaga} → its last part. */
  static String shownName(String fullName) {
    int dot = fullName.lastIndexOf('.');
    String simple = fullName.substring(dot + 1);
    int nested = simple.lastIndexOf('$');
    return simple.substring(nested + 1);
  }

  private List<SagaInstanceView> instances(Map<String, String> typesById) {
    if (typesById.isEmpty()) {
      return List.of();
    }
    Set<String> ids = typesById.keySet();
    Map<String, Instant[]> lives = new LinkedHashMap<>();
    db.select(SAGA_JOURNAL.SAGA_ID, SAGA_JOURNAL.STARTED_AT, SAGA_JOURNAL.ENDED_AT)
        .from(SAGA_JOURNAL)
        .where(SAGA_JOURNAL.SAGA_ID.in(ids))
        .forEach(
            r -> lives.put(r.value1(), new Instant[] {instant(r.value2()), instant(r.value3())}));
    Map<String, List<AssociationView>> associations = new LinkedHashMap<>();
    db.select(ASSOCIATION_SAGA, ASSOCIATION_KEY, ASSOCIATION_VALUE)
        .from(ASSOCIATION)
        .where(ASSOCIATION_SAGA.in(ids))
        .orderBy(ASSOCIATION_KEY, ASSOCIATION_VALUE)
        .forEach(
            r ->
                associations
                    .computeIfAbsent(r.value1(), k -> new ArrayList<>())
                    .add(new AssociationView(r.value2(), mask.show(r.value2(), r.value3()))));
    Map<String, List<DeadlineView>> deadlines = new LinkedHashMap<>();
    db.select(SAGA_JOURNAL_DEADLINE.SAGA_ID, SAGA_JOURNAL_DEADLINE.DEADLINE_NAME, TASK_DUE)
        .from(SAGA_JOURNAL_DEADLINE)
        .join(TASKS)
        .on(TASK_NAME.eq(DEADLINE_TASK).and(TASK_INSTANCE.eq(SAGA_JOURNAL_DEADLINE.DEADLINE_ID)))
        .where(SAGA_JOURNAL_DEADLINE.SAGA_ID.in(ids))
        .orderBy(TASK_DUE, SAGA_JOURNAL_DEADLINE.DEADLINE_NAME)
        .forEach(
            r ->
                deadlines
                    .computeIfAbsent(r.value1(), k -> new ArrayList<>())
                    .add(new DeadlineView(r.value2(), instant(r.value3()))));
    List<SagaInstanceView> views = new ArrayList<>();
    typesById.forEach(
        (id, type) -> {
          Instant[] life = lives.getOrDefault(id, new Instant[2]);
          views.add(
              new SagaInstanceView(
                  id,
                  shownName(type),
                  associations.getOrDefault(id, List.of()),
                  life[0],
                  life[1],
                  deadlines.getOrDefault(id, List.of())));
        });
    return views;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
