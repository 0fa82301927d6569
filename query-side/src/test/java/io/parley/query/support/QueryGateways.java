package io.parley.query.support;

import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;

/** Axon's own query bus and gateway, in process, with the given {@code @QueryHandler}s on it. */
public final class QueryGateways {

  private QueryGateways() {}

  public static QueryGateway to(Object... queryHandlers) {
    SimpleQueryBus bus = SimpleQueryBus.builder().build();
    for (Object handler : queryHandlers) {
      new AnnotationQueryHandlerAdapter<>(handler).subscribe(bus);
    }
    return DefaultQueryGateway.builder().queryBus(bus).build();
  }
}
