package io.parley.infra.database;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Deletes many rows a batch per statement, for cleanup tasks: one delete of millions of rows would
 * be one long transaction (locks, a WAL spike, bloat).
 */
public final class BatchedDelete {

  /** Rows deleted per statement. */
  public static final int BATCH = 5_000;

  private BatchedDelete() {}

  /**
   * Deletes every row of {@code table} matching {@code condition}, {@link #BATCH} rows (picked by
   * the table's {@code primaryKey} columns) per statement. Returns how many rows went.
   */
  public static int deleteWhere(
      DSLContext db, Table<?> table, Condition condition, Field<?>... primaryKey) {
    int deleted = 0;
    int batch;
    do {
      batch =
          db.deleteFrom(table)
              .where(
                  DSL.row(primaryKey)
                      .in(DSL.select(primaryKey).from(table).where(condition).limit(BATCH)))
              .execute();
      deleted += batch;
    } while (batch == BATCH);
    return deleted;
  }
}
