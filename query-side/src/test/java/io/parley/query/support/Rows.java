package io.parley.query.support;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/** Whole-table reads and clean-ups for tests that compare the rows a projection leaves. */
public final class Rows {

  private Rows() {}

  /**
   * Every row of {@code table}, every column but {@code except}, in a fixed order (by all the
   * columns compared), so two snapshots are equal exactly when the tables hold the same rows.
   */
  public static List<Map<String, Object>> of(DSLContext db, Table<?> table, Field<?>... except) {
    Set<String> left = Arrays.stream(except).map(Field::getName).collect(Collectors.toSet());
    List<Field<?>> fields =
        Arrays.stream(table.fields()).filter(f -> !left.contains(f.getName())).toList();
    return db.select(fields).from(table).orderBy(fields).fetchMaps();
  }

  /** Empties the tables and restarts their identity columns. */
  public static void truncate(DSLContext db, Table<?>... tables) {
    db.truncate(tables).restartIdentity().execute();
  }
}
