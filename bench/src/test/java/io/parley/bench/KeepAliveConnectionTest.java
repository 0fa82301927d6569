package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KeepAliveConnection} against a tiny HTTP server on a real loopback socket. */
class KeepAliveConnectionTest {

  /** Answers one request: gets the request and the connection's index, writes raw bytes. */
  interface Handler {
    /** Returns false to close the connection after writing. */
    boolean answer(Request request, int connection, OutputStream out) throws IOException;
  }

  record Request(String head, String body) {
    String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }
  }

  private ServerSocket server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private KeepAliveConnection start(Handler handler) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  int index = connections.getAndIncrement();
                  Thread t = new Thread(() -> serve(s, index, handler));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return new KeepAliveConnection("127.0.0.1", server.getLocalPort(), 2000);
  }

  private void serve(Socket s, int index, Handler handler) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        Request r = readRequest(in);
        if (r == null) {
          return;
        }
        received.add(r);
        boolean keep = handler.answer(r, index, out);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes(length);
        return new Request(text, new String(body, StandardCharsets.UTF_8));
      }
    }
    return null;
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String ok(int status, String body) {
    return "HTTP/1.1 "
        + status
        + " X\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KeepAliveConnection.Response post(
      KeepAliveConnection c, String path, String body) {
    byte[] b = bytes(body);
    return c.exchange("POST", bytes(path), bytes("tok"), b, b.length);
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void readsStatusAndContentLengthBodiesOverOneKeptConnection() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(
                  out,
                  ok(201, "{\"messageId\":\"m-" + received.size() + "\",\"verdict\":\"ALLOWED\"}"));
              return true;
            })) {
      var first = post(c, "/api/v1/conversations/a/messages", "{\"text\":\"héllo\"}");
      var second = post(c, "/api/v1/conversations/b/messages", "{\"text\":\"again\"}");

      assertThat(first.status()).isEqualTo(201);
      assertThat(first.body()).isEqualTo("{\"messageId\":\"m-1\",\"verdict\":\"ALLOWED\"}");
      assertThat(second.body()).contains("\"m-2\"");
      assertThat(c.connects()).isEqualTo(1);
      assertThat(connections.get()).isEqualTo(1);
      Request r = received.get(0);
      assertThat(r.requestLine()).isEqualTo("POST /api/v1/conversations/a/messages HTTP/1.1");
      assertThat(r.head())
          .contains("Host: 127.0.0.1:" + server.getLocalPort() + "\r\n")
          .contains("Authorization: Bearer tok\r\n")
          .contains("Content-Type: application/json\r\n")
          .contains("Content-Length: 17\r\n");
      assertThat(r.body()).isEqualTo("{\"text\":\"héllo\"}");
    }
  }

  @Test
  void decodesChunkedBodiesWithExtensionsAndTrailers() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(
                  out,
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "5;ext=1\r\n{\"a\":\r\n"
                      + "A\r\n\"0123456\"}\r\n"
                      + "0\r\nX-Trailer: t\r\n\r\n");
              return true;
            })) {
      var first = c.exchange("GET", bytes("/x"), null, null, 0);
      var second = c.exchange("GET", bytes("/x"), null, null, 0);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("{\"a\":\"0123456\"}");
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(c.connects()).isEqualTo(1);
      assertThat(received.get(0).head()).startsWith("GET /x HTTP/1.1\r\n");
    }
  }

  @Test
  void reconnectsAfterConnectionClose() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(
                  out, "HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
              return false;
            })) {
      for (int i = 0; i < 3; i++) {
        assertThat(post(c, "/m", "{}").status()).isEqualTo(201);
      }
      assertThat(c.connects()).isEqualTo(3);
      assertThat(c.retries()).isZero();
      assertThat(connections.get()).isEqualTo(3);
    }
  }

  @Test
  void resendsOnceWhenTheServerClosedAnIdleConnection() throws IOException {
    // The server answers without announcing it, then closes: the next request on the old
    // connection gets no answer at all, and goes out once more on a new connection.
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(out, ok(201, "{\"n\":" + i + "}"));
              return false;
            })) {
      assertThat(post(c, "/m", "{}").body()).isEqualTo("{\"n\":0}");
      sleep(100);
      var second = post(c, "/m", "{}");

      assertThat(second.status()).isEqualTo(201);
      assertThat(second.body()).isEqualTo("{\"n\":1}");
      assertThat(c.retries()).isEqualTo(1);
      assertThat(c.connects()).isEqualTo(2);
      assertThat(received).hasSize(2);
    }
  }

  @Test
  void readsABodyWithoutLengthToTheEndOfTheStream() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(out, "HTTP/1.0 200 OK\r\n\r\nuntil the end");
              return false;
            })) {
      var r = c.exchange("GET", bytes("/"), null, null, 0);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("until the end");
      assertThat(post(c, "/", "{}").status()).isEqualTo(200);
      assertThat(c.connects()).isEqualTo(2);
    }
  }

  @Test
  void skipsInterimAnswersAndReadsBodiesByteByByteAndLargerThanTheBuffer() throws IOException {
    String large = "x".repeat(100_000);
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              byte[] all = bytes("HTTP/1.1 100 Continue\r\n\r\n" + ok(200, large) + ok(204, ""));
              for (byte b : all) { // one byte a write: every parse step meets a partial buffer
                out.write(b);
                if (all.length < 500) {
                  out.flush();
                }
              }
              return true;
            })) {
      var r = c.exchange("GET", bytes("/big"), null, null, 0);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(large);
    }
  }

  @Test
  void answersMinusOneWithAClearErrorForMalformedOrUnsupportedAnswers() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              write(
                  out,
                  r.requestLine().contains("/gzip")
                      ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                      : r.requestLine().contains("/bad-length")
                          ? "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"
                          : "HTTP/2 200\r\n\r\n");
              return true;
            })) {
      var gzip = c.exchange("GET", bytes("/gzip"), null, null, 0);
      var badLength = c.exchange("GET", bytes("/bad-length"), null, null, 0);
      var badStatus = c.exchange("GET", bytes("/status"), null, null, 0);

      assertThat(gzip.status()).isEqualTo(-1);
      assertThat(gzip.error()).contains("unsupported Transfer-Encoding: gzip, chunked");
      assertThat(badLength.error()).contains("bad Content-Length: 1x");
      assertThat(badStatus.error()).contains("malformed status line: HTTP/2 200");
      assertThat(c.connects()).isEqualTo(3); // each failure closed the connection
      assertThat(c.retries()).isZero();
    }
  }

  @Test
  void timesOutWithoutResending() throws IOException {
    try (KeepAliveConnection c =
        start(
            (r, i, out) -> {
              if (received.size() > 1) {
                sleep(3000); // beyond the client's 2 s timeout
              }
              write(out, ok(201, "{}"));
              return true;
            })) {
      assertThat(post(c, "/m", "{}").status()).isEqualTo(201);
      var r = post(c, "/m", "{}");
      assertThat(r.status()).isEqualTo(-1);
      assertThat(r.error()).startsWith("SocketTimeoutException");
      assertThat(c.retries()).isZero();
      assertThat(received).hasSize(2);
    }
  }

  @Test
  void answersMinusOneWhenNothingListens() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (KeepAliveConnection c = new KeepAliveConnection("127.0.0.1", port, 1000)) {
      var r = c.exchange("GET", bytes("/"), null, null, 0);
      assertThat(r.status()).isEqualTo(-1);
      assertThat(r.error()).startsWith("ConnectException");
    }
  }

  @Test
  void writesMessageBodiesAsJackson() {
    int[] length = new int[1];
    for (String text :
        new String[] {"plain", "quote \" and \\ back", "tab\tnew\nline\u0001", "é € 😀"}) {
      byte[] out = ParleyClient.writeMessageBody(text, new byte[4], length);
      assertThat(new String(out, 0, length[0], StandardCharsets.UTF_8))
          .as(text)
          .isEqualTo(ParleyClient.messageBody(text));
    }
    assertThat(
            ParleyClient.stringField(
                "{\"messageId\":\"m1\",\"verdict\":\"BLOCKED\"}", "verdict", "?"))
        .isEqualTo("BLOCKED");
    assertThat(ParleyClient.stringField("{ \"verdict\" : \"WARNED\" }", "verdict", "?"))
        .isEqualTo("WARNED");
    assertThat(ParleyClient.stringField("{}", "verdict", "?")).isEqualTo("?");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
