package io.parley.query.subject;

import io.parley.api.subject.ConsentsView;
import io.parley.api.subject.FetchConsentsQuery;
import java.security.Principal;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me/consents}: the caller's consents (every purpose) and their history. */
@RestController
public class ConsentQueryController {

  private final QueryGateway queryGateway;

  public ConsentQueryController(QueryGateway queryGateway) {
    this.queryGateway = queryGateway;
  }

  @GetMapping(path = "/api/v1/me/consents", produces = MediaType.APPLICATION_JSON_VALUE)
  public ConsentsView consents(Principal caller) {
    return queryGateway
        .query(
            new FetchConsentsQuery(caller.getName()), ResponseTypes.instanceOf(ConsentsView.class))
        .join();
  }
}
