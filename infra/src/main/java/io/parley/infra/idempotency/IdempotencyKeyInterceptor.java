package io.parley.infra.idempotency;

import static io.parley.migrations.jooq.Tables.IDEMPOTENT_COMMAND;

import io.parley.infra.axon.AxonConfig;
import io.parley.infra.database.BatchedDelete;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jooq.DSLContext;

/**
 * Makes every command sent with an {@code Idempotency-Key} (metadata {@link #KEY}, put there from
 * the HTTP header by {@link io.parley.infra.web.RequestCorrelation}) answer a retry with the first
 * outcome, without running its handler again: no second event.
 *
 * <p>It runs inside the command's transaction (the command bus opens it before its handler
 * interceptors). Before the handler, it inserts the key's row; when the handler returns, it stores
 * the result in that row. Both commit with the command's events or roll back with them, so a failed
 * command leaves no row and its retry runs again. A concurrent duplicate's insert waits on the
 * key's row lock until the first transaction ends, then finds the stored outcome. The key is scoped
 * by caller, command name and request path ({@link #SCOPE}), so a key reused elsewhere is a new
 * operation.
 */
public class IdempotencyKeyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

  /** Command metadata: the client's idempotency key. */
  public static final String KEY = "idempotencyKey";

  /** Command metadata: the request path the key was sent to. */
  public static final String SCOPE = "idempotencyScope";

  private final DSLContext db;
  private final Serializer serializer;

  public IdempotencyKeyInterceptor(DSLContext db, Serializer serializer) {
    this.db = db;
    this.serializer = serializer;
  }

  @Override
  public Object handle(
      UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
      throws Exception {
    CommandMessage<?> command = unitOfWork.getMessage();
    Object key = command.getMetaData().get(KEY);
    Object actor = command.getMetaData().get(AxonConfig.ACTOR);
    if (!(key instanceof String idempotencyKey) || !(actor instanceof String actorId)) {
      return interceptorChain.proceed();
    }
    String scope = command.getCommandName() + " " + command.getMetaData().getOrDefault(SCOPE, "");
    int inserted =
        db.insertInto(IDEMPOTENT_COMMAND)
            .set(IDEMPOTENT_COMMAND.ACTOR_ID, actorId)
            .set(IDEMPOTENT_COMMAND.SCOPE, scope)
            .set(IDEMPOTENT_COMMAND.IDEMPOTENCY_KEY, idempotencyKey)
            .onConflictDoNothing()
            .execute();
    var where =
        IDEMPOTENT_COMMAND
            .ACTOR_ID
            .eq(actorId)
            .and(IDEMPOTENT_COMMAND.SCOPE.eq(scope))
            .and(IDEMPOTENT_COMMAND.IDEMPOTENCY_KEY.eq(idempotencyKey));
    if (inserted == 0) {
      // A retry: the first command with this key committed (a concurrent one waited for it).
      var first =
          db.select(
                  IDEMPOTENT_COMMAND.RESULT_TYPE,
                  IDEMPOTENT_COMMAND.RESULT_REVISION,
                  IDEMPOTENT_COMMAND.RESULT)
              .from(IDEMPOTENT_COMMAND)
              .where(where)
              .fetchOne();
      if (first == null) {
        // The cleanup deleted the (expired) row between the two statements: the key is new again.
        // The gateway retries a ConcurrencyException, and the retry inserts the row.
        throw new ConcurrencyException("Idempotency key expired while it was being read");
      }
      if (first.value1() == null) {
        return null; // the first command answered nothing (a void handler)
      }
      return serializer.deserialize(
          new SimpleSerializedObject<>(
              first.value3(), byte[].class, first.value1(), first.value2()));
    }
    Object result = interceptorChain.proceed();
    if (result != null) {
      SerializedObject<byte[]> serialized = serializer.serialize(result, byte[].class);
      db.update(IDEMPOTENT_COMMAND)
          .set(IDEMPOTENT_COMMAND.RESULT_TYPE, serialized.getType().getName())
          .set(IDEMPOTENT_COMMAND.RESULT_REVISION, serialized.getType().getRevision())
          .set(IDEMPOTENT_COMMAND.RESULT, serialized.getData())
          .where(where)
          .execute();
    }
    return result;
  }

  /**
   * Forgets keys older than {@code retention}: a retry after that is a new command. Returns how
   * many rows went.
   */
  public int forgetKeysOlderThan(Duration retention) {
    return BatchedDelete.deleteWhere(
        db,
        IDEMPOTENT_COMMAND,
        IDEMPOTENT_COMMAND.CREATED_AT.lt(OffsetDateTime.now(ZoneOffset.UTC).minus(retention)),
        IDEMPOTENT_COMMAND.ACTOR_ID,
        IDEMPOTENT_COMMAND.SCOPE,
        IDEMPOTENT_COMMAND.IDEMPOTENCY_KEY);
  }
}
