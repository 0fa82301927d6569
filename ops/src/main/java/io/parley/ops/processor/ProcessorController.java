package io.parley.ops.processor;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** API.md "Operations": the event processors and their replays. Role OPS. */
@RestController
@Tag(name = "Operations")
public class ProcessorController {

  private final ProcessorOverview overview;
  private final ReplayCoordinator replays;

  public ProcessorController(ProcessorOverview overview, ReplayCoordinator replays) {
    this.overview = overview;
    this.replays = replays;
  }

  @Operation(
      summary = "List the event processors",
      description =
          "Role OPS. Every processor with its segments (owner node, position, lag in events,"
              + " state), the event store's head, and the replay under way with its progress and"
              + " ETA. Read from the token store: the same on every node.")
  @ApiResponse(
      responseCode = "200",
      description = "The processors, in name order",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              array = @ArraySchema(schema = @Schema(implementation = ProcessorView.class)),
              examples =
                  @ExampleObject(
                      value =
                          """
                          [{"name": "timeline", "type": "event-handler", "replayable": true,
                            "segments": [{"segment": 0, "owner": "node-a", "position": 48210,
                                          "lag": 0, "state": "CAUGHT_UP", "error": null},
                                         {"segment": 1, "owner": "node-b", "position": 48207,
                                          "lag": 3, "state": "PROCESSING", "error": null}],
                            "head": 48210, "replay": null}]""")))
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @GetMapping(path = "/api/v1/ops/processors", produces = MediaType.APPLICATION_JSON_VALUE)
  public List<ProcessorView> processors() {
    return overview.processors();
  }

  @Operation(
      summary = "Replay (rebuild) a projection",
      description =
          "Role OPS. Every node stops the processor, one resets its tokens to the start of the"
              + " event store (the projection's reset handler clears its tables), and the nodes"
              + " start it again; GET /api/v1/ops/processors shows the progress. Reads of the"
              + " projection show partial data until the replay ends.")
  @ApiResponse(responseCode = "202", description = "The replay is starting")
  @ApiResponse(
      responseCode = "400",
      description = "The request's URL (the processor's name) or a header is not allowed")
  @ApiResponse(responseCode = "404", description = "No processor of that name on this node")
  @ApiResponse(
      responseCode = "409",
      description =
          "A saga processor, one whose handlers do not support a replay, or one already"
              + " replaying")
  @PostMapping(path = "/api/v1/ops/processors/{name}/replay")
  public ResponseEntity<Void> replay(@PathVariable String name, Principal operator) {
    replays.request(name, operator.getName());
    return ResponseEntity.accepted().build();
  }
}
