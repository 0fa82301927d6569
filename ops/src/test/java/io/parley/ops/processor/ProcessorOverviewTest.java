package io.parley.ops.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.ops.processor.ProcessorView.SegmentView;
import io.parley.ops.processor.TokenTable.SegmentToken;
import java.time.Instant;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class ProcessorOverviewTest {

  static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

  static SegmentToken at(long position, String owner) {
    return new SegmentToken("timeline", 0, owner, new GlobalSequenceTrackingToken(position));
  }

  @Test
  void aSegmentsLagIsTheHeadMinusItsPosition_andItsStateFollowsFromItsToken() {
    assertThat(ProcessorOverview.segment(at(90, "node-a"), 100, null))
        .isEqualTo(new SegmentView(0, "node-a", 90, 10, "PROCESSING", null));
    assertThat(ProcessorOverview.segment(at(100, "node-a"), 100, null).state())
        .isEqualTo("CAUGHT_UP");
    assertThat(ProcessorOverview.segment(at(90, null), 100, null).state()).isEqualTo("UNCLAIMED");
    SegmentToken fresh = new SegmentToken("timeline", 1, null, null);
    assertThat(ProcessorOverview.segment(fresh, 100, null))
        .isEqualTo(new SegmentView(1, null, -1, 101, "UNCLAIMED", null));
  }

  @Test
  void aReplayingSegmentShowsWhereItsReplayIs() {
    TrackingToken replay =
        ((ReplayToken)
                ReplayToken.createReplayToken(
                    new GlobalSequenceTrackingToken(100), new GlobalSequenceTrackingToken(-1)))
            .advancedTo(new GlobalSequenceTrackingToken(40));
    SegmentToken segment = new SegmentToken("timeline", 0, "node-b", replay);
    assertThat(segment.replaying()).isTrue();
    assertThat(segment.replayEnd()).isEqualTo(100);
    assertThat(ProcessorOverview.segment(segment, 120, null))
        .isEqualTo(new SegmentView(0, "node-b", 40, 80, "REPLAYING", null));
  }

  @Test
  void aSegmentBackAtItsResetPositionHasFinishedItsReplay_thoughAxonKeepsTheReplayToken() {
    TrackingToken replayed =
        ((ReplayToken)
                ReplayToken.createReplayToken(
                    new GlobalSequenceTrackingToken(100), new GlobalSequenceTrackingToken(-1)))
            .advancedTo(new GlobalSequenceTrackingToken(100));
    assertThat(replayed).isInstanceOf(ReplayToken.class);
    SegmentToken segment = new SegmentToken("timeline", 0, "node-b", replayed);
    assertThat(segment.replaying()).isFalse();
    assertThat(ProcessorOverview.segment(segment, 100, null).state()).isEqualTo("CAUGHT_UP");
  }

  @Test
  void aSegmentInErrorOnThisNodeNamesTheFailuresTypeOnly() {
    EventTrackerStatus failed = Mockito.mock(EventTrackerStatus.class);
    Mockito.when(failed.isErrorState()).thenReturn(true);
    Mockito.when(failed.getError()).thenReturn(new IllegalStateException("alice said hello"));
    SegmentView view = ProcessorOverview.segment(at(50, "node-a"), 100, failed);
    assertThat(view.state()).isEqualTo("ERROR");
    assertThat(view.error()).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void progressIsThePositionOverTheEnd_andTheEtaComesFromTheRateSoFar() {
    // 4,000 of 10,000 events in 8 s: 500 events/s, 6,000 left: 12 s.
    ReplayView view = ProcessorOverview.progress(START, 4_000, 10_000, START.plusSeconds(8));
    assertThat(view.progress()).isEqualTo(0.4);
    assertThat(view.etaSeconds()).isEqualTo(12);
    assertThat(view.head()).isEqualTo(10_000);
    assertThat(view.startedAt()).isEqualTo(START);
  }

  @Test
  void noEtaBeforeARateIsKnown() {
    assertThat(ProcessorOverview.progress(START, 0, 10_000, START.plusSeconds(5)).etaSeconds())
        .isNull();
    assertThat(ProcessorOverview.progress(START, 300, 10_000, START.plusMillis(400)).etaSeconds())
        .isNull();
    assertThat(ProcessorOverview.progress(null, 300, 10_000, START).etaSeconds()).isNull();
    assertThat(ProcessorOverview.progress(START, -1, 10_000, START).progress()).isZero();
  }
}
