package io.parley.axon.cache;

import java.util.List;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * The other half of {@link OptimisticCachingRepository}: a command that took its decision on a
 * cached aggregate and appended nothing to it (it was refused, or had nothing to change) asks the
 * store whether the aggregate moved on since it was cached. If it did, the decision may be wrong,
 * so the command fails with a {@link ConcurrencyException} — which the gateway's retry scheduler
 * retries, on a fresh load since the stale entry is evicted — instead of answering. A command that
 * appended needs no such check: a stale copy fails its append.
 *
 * <p>The check is one indexed query ({@code max(sequence)} of the aggregate), only for commands
 * that append nothing.
 */
public class RecheckCachedAggregatesInterceptor
    implements MessageHandlerInterceptor<CommandMessage<?>> {

  @Override
  public Object handle(
      UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
      throws Exception {
    Object result;
    try {
      result = interceptorChain.proceed();
    } catch (Exception refusal) {
      if (decidedOnStaleCopy(unitOfWork)) {
        throw stale(refusal);
      }
      throw refusal;
    }
    if (decidedOnStaleCopy(unitOfWork)) {
      throw stale(null);
    }
    return result;
  }

  private static boolean decidedOnStaleCopy(UnitOfWork<?> unitOfWork) {
    List<OptimisticCachingRepository.CacheHit> hits =
        unitOfWork.getResource(OptimisticCachingRepository.CACHE_HITS);
    if (hits == null) {
      return false;
    }
    boolean stale = false;
    for (OptimisticCachingRepository.CacheHit hit : hits) {
      if (hit.unchanged()
          && hit.repository().movedOnInStore(hit.aggregateIdentifier(), hit.cachedVersion())) {
        stale = true;
      }
    }
    return stale;
  }

  private static ConcurrencyException stale(Exception decision) {
    return new ConcurrencyException(
        "The cached aggregate was behind the event store; the command is retried on a fresh load",
        decision);
  }
}
