package io.parley.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client's HTTP/1.1 keep-alive connection over a plain blocking {@link Socket}: the load
 * generator's hot path, built to cost little CPU beside the server it measures (the JDK {@code
 * HttpClient} took about 0.7 ms of CPU a request here; see docs/benchmarks.md).
 *
 * <p>Not thread-safe: one instance per client thread. The request is written into a reused byte
 * buffer (the path and the {@code Authorization} header arrive as prepared bytes), the response is
 * read into another and parsed by its status line and its {@code Content-Length}, {@code
 * Transfer-Encoding: chunked} or, failing both, the end of the stream. A {@code Connection: close}
 * answer (Tomcat closes a connection after 100 requests by default), an HTTP/1.0 answer without
 * keep-alive, or an I/O error closes the socket; the next request opens a new one. A request on a
 * reused connection that fails before any byte of an answer arrives (the server closed it while it
 * was idle) is sent once more on a fresh connection; any other failure is returned as status -1.
 */
final class KeepAliveConnection implements Closeable {

  /** An answer: status -1 when none arrived ({@link #error} says why). */
  record Response(int status, String body, String error) {
    boolean is(int expected) {
      return status == expected;
    }
  }

  /** A malformed or unsupported answer; the connection is closed. */
  static final class ProtocolException extends IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  private static final byte[] HTTP11 = " HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] AUTHORIZATION =
      "Authorization: Bearer ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JSON_HEADERS =
      "Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: "
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACCEPT_ONLY =
      "Accept: application/json\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_BODY =
      "Content-Length: 0\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final InetSocketAddress address;
  private final byte[] hostHeader;
  private final int timeoutMillis;

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean reused;

  private byte[] request = new byte[4096];
  private int requestLength;

  // The read buffer: bytes [pos, limit) are received and not yet consumed.
  private byte[] buffer = new byte[16 * 1024];
  private int pos;
  private int limit;
  private long bytesOfAnswer;

  private int httpVersionMinor;
  private long connects;
  private long retries;

  /** {@code host} as in a URL: a name, an IPv4 literal or a bracketed IPv6 literal. */
  KeepAliveConnection(String host, int port, int timeoutMillis) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    this.address = new InetSocketAddress(bare, port);
    this.hostHeader = (host + ":" + port).getBytes(StandardCharsets.US_ASCII);
    this.timeoutMillis = timeoutMillis;
  }

  /** ASCII bytes of a path or a bearer token for {@link #exchange}, prepared once per client. */
  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** TCP connections opened so far (the first one included). */
  long connects() {
    return connects;
  }

  /** Requests sent a second time after a reused connection turned out closed. */
  long retries() {
    return retries;
  }

  /**
   * One exchange. {@code path} is the request target as ASCII bytes, {@code token} the bearer
   * token's bytes or null, {@code body} a JSON body of {@code bodyLength} bytes or null.
   */
  Response exchange(String method, byte[] path, byte[] token, byte[] body, int bodyLength) {
    buildRequest(method, path, token, body, bodyLength);
    for (int attempt = 0; ; attempt++) {
      boolean wasReused;
      try {
        if (socket == null) {
          open();
        }
        wasReused = reused;
      } catch (IOException e) {
        closeQuietly();
        return new Response(-1, null, describe(e));
      }
      try {
        bytesOfAnswer = 0;
        out.write(request, 0, requestLength);
        out.flush();
        Response r = readResponse(method.equals("HEAD"));
        reused = true;
        return r;
      } catch (IOException e) {
        boolean nothingArrived = bytesOfAnswer == 0 && !(e instanceof SocketTimeoutException);
        closeQuietly();
        if (wasReused && nothingArrived && attempt == 0) {
          retries++;
          continue;
        }
        return new Response(-1, null, describe(e));
      }
    }
  }

  private void buildRequest(String method, byte[] path, byte[] token, byte[] body, int length) {
    requestLength = 0;
    put(method);
    put((byte) ' ');
    put(path, path.length);
    put(HTTP11, HTTP11.length);
    put(hostHeader, hostHeader.length);
    put(CRLF, 2);
    if (token != null) {
      put(AUTHORIZATION, AUTHORIZATION.length);
      put(token, token.length);
      put(CRLF, 2);
    }
    if (body != null) {
      put(JSON_HEADERS, JSON_HEADERS.length);
      putDecimal(length);
      put(CRLF, 2);
    } else {
      put(ACCEPT_ONLY, ACCEPT_ONLY.length);
      if (!method.equals("GET") && !method.equals("HEAD")) {
        put(EMPTY_BODY, EMPTY_BODY.length);
      }
    }
    put(CRLF, 2);
    if (body != null) {
      put(body, length);
    }
  }

  private void put(String ascii) {
    ensureRequestCapacity(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      request[requestLength++] = (byte) ascii.charAt(i);
    }
  }

  private void put(byte b) {
    ensureRequestCapacity(1);
    request[requestLength++] = b;
  }

  private void put(byte[] bytes, int length) {
    ensureRequestCapacity(length);
    System.arraycopy(bytes, 0, request, requestLength, length);
    requestLength += length;
  }

  private void putDecimal(int value) {
    ensureRequestCapacity(11);
    if (value == 0) {
      request[requestLength++] = '0';
      return;
    }
    int digits = 0;
    for (int v = value; v > 0; v /= 10) {
      digits++;
    }
    for (int i = requestLength + digits - 1; value > 0; i--, value /= 10) {
      request[i] = (byte) ('0' + value % 10);
    }
    requestLength += digits;
  }

  private void ensureRequestCapacity(int more) {
    if (requestLength + more > request.length) {
      request = Arrays.copyOf(request, Math.max(request.length * 2, requestLength + more));
    }
  }

  private void open() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMillis);
      s.connect(address, timeoutMillis);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
    pos = 0;
    limit = 0;
    reused = false;
    connects++;
  }

  // ------------------------------------------------------------------------------------------
  // Response parsing
  // ------------------------------------------------------------------------------------------

  private Response readResponse(boolean head) throws IOException {
    while (true) {
      int status = readStatusLine();
      long contentLength = -1;
      boolean chunked = false;
      boolean close = httpVersionMinor == 0; // HTTP/1.0: closed unless it says keep-alive
      // Headers, one line at a time.
      while (true) {
        readLine();
        if (lineEnd == lineStart) {
          break;
        }
        int colon = indexOf(buffer, lineStart, lineEnd, (byte) ':');
        if (colon < 0) {
          throw new ProtocolException("malformed header line: " + text(lineStart, lineEnd));
        }
        int valueStart = skipSpaces(colon + 1, lineEnd);
        int valueEnd = trimEnd(valueStart, lineEnd);
        if (nameIs(lineStart, colon, "content-length")) {
          contentLength = parseLength(valueStart, valueEnd);
        } else if (nameIs(lineStart, colon, "transfer-encoding")) {
          if (!valueIs(valueStart, valueEnd, "chunked")) {
            throw new ProtocolException(
                "unsupported Transfer-Encoding: " + text(valueStart, valueEnd));
          }
          chunked = true;
        } else if (nameIs(lineStart, colon, "connection")) {
          if (valueIs(valueStart, valueEnd, "close")) {
            close = true;
          } else if (valueIs(valueStart, valueEnd, "keep-alive")) {
            close = false;
          }
        }
      }
      if (status >= 100 && status < 200) {
        continue; // an interim answer (100 Continue): the final one follows
      }
      String body;
      if (head || status == 204 || status == 304) {
        body = "";
      } else if (chunked) {
        body = readChunked();
      } else if (contentLength >= 0) {
        body = readFixed(contentLength);
      } else {
        body = readToEnd();
        close = true;
      }
      if (close) {
        closeQuietly();
      }
      return new Response(status, body, null);
    }
  }

  private int readStatusLine() throws IOException {
    readLine();
    int start = lineStart;
    int end = lineEnd;
    // "HTTP/1.x SSS reason"
    if (end - start < 12
        || !startsWith(start, "HTTP/1.")
        || buffer[start + 8] != ' '
        || (end - start > 12 && buffer[start + 12] != ' ')) {
      throw new ProtocolException("malformed status line: " + text(start, end));
    }
    httpVersionMinor = buffer[start + 7] - '0';
    int status = 0;
    for (int i = start + 9; i < start + 12; i++) {
      int d = buffer[i] - '0';
      if (d < 0 || d > 9) {
        throw new ProtocolException("malformed status line: " + text(start, end));
      }
      status = status * 10 + d;
    }
    return status;
  }

  // The line readLine() read last: bytes [lineStart, lineEnd), terminator excluded. Valid until
  // the next read.
  private int lineStart;
  private int lineEnd;

  /**
   * Reads up to the next LF (a CR before it is dropped) into {@link #lineStart}/{@link #lineEnd}.
   */
  private void readLine() throws IOException {
    int scanFrom = pos;
    while (true) {
      int lf = indexOf(buffer, scanFrom, limit, (byte) '\n');
      if (lf >= 0) {
        lineStart = pos;
        lineEnd = lf > pos && buffer[lf - 1] == '\r' ? lf - 1 : lf;
        pos = lf + 1;
        return;
      }
      if (limit - pos > MAX_HEADER_BYTES) {
        throw new ProtocolException("header line longer than " + MAX_HEADER_BYTES + " bytes");
      }
      int unread = limit - pos;
      compactAndFill(true);
      scanFrom = pos + unread;
    }
  }

  /**
   * Moves the unread bytes to the start of the buffer (doubling it when full) and reads more.
   * Returns the bytes read, or -1 at the end of the stream unless {@code mustRead}, which makes
   * that an error.
   */
  private int compactAndFill(boolean mustRead) throws IOException {
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      if (mustRead) {
        throw new EOFException(
            bytesOfAnswer == 0
                ? "connection closed before an answer"
                : "connection closed in the middle of an answer");
      }
      return -1;
    }
    bytesOfAnswer += n;
    limit += n;
    return n;
  }

  private String readFixed(long length) throws IOException {
    if (length > MAX_BODY_BYTES) {
      throw new ProtocolException("body of " + length + " bytes is too large");
    }
    int n = (int) length;
    while (limit - pos < n) {
      compactAndFill(true);
    }
    String body = new String(buffer, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return body;
  }

  private String readChunked() throws IOException {
    byte[] body = new byte[256];
    int length = 0;
    while (true) {
      readLine();
      int start = lineStart;
      int end = lineEnd;
      int sizeEnd = indexOf(buffer, start, end, (byte) ';'); // chunk extensions are ignored
      long size = parseHex(start, sizeEnd < 0 ? end : sizeEnd);
      if (size == 0) {
        // Trailers, up to an empty line.
        while (true) {
          readLine();
          if (lineEnd == lineStart) {
            return new String(body, 0, length, StandardCharsets.UTF_8);
          }
        }
      }
      if (length + size > MAX_BODY_BYTES) {
        throw new ProtocolException("chunked body larger than " + MAX_BODY_BYTES + " bytes");
      }
      int n = (int) size;
      if (length + n > body.length) {
        body = Arrays.copyOf(body, Math.max(body.length * 2, length + n));
      }
      int copied = 0;
      while (copied < n) {
        if (pos == limit) {
          compactAndFill(true);
        }
        int take = Math.min(n - copied, limit - pos);
        System.arraycopy(buffer, pos, body, length + copied, take);
        pos += take;
        copied += take;
      }
      length += n;
      readLine();
      if (lineEnd != lineStart) {
        throw new ProtocolException("chunk not followed by CRLF");
      }
    }
  }

  private String readToEnd() throws IOException {
    while (compactAndFill(false) >= 0) {
      if (limit - pos > MAX_BODY_BYTES) {
        throw new ProtocolException("body larger than " + MAX_BODY_BYTES + " bytes");
      }
    }
    String body = new String(buffer, pos, limit - pos, StandardCharsets.UTF_8);
    pos = limit;
    return body;
  }

  // ------------------------------------------------------------------------------------------

  private long parseLength(int start, int end) throws ProtocolException {
    if (start == end || end - start > 18) {
      throw new ProtocolException("bad Content-Length: " + text(start, end));
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      int d = buffer[i] - '0';
      if (d < 0 || d > 9) {
        throw new ProtocolException("bad Content-Length: " + text(start, end));
      }
      v = v * 10 + d;
    }
    return v;
  }

  private long parseHex(int start, int end) throws ProtocolException {
    end = trimEnd(start, end);
    if (start == end || end - start > 15) {
      throw new ProtocolException("bad chunk size: " + text(start, end));
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      int d = Character.digit(buffer[i], 16);
      if (d < 0) {
        throw new ProtocolException("bad chunk size: " + text(start, end));
      }
      v = v * 16 + d;
    }
    return v;
  }

  private boolean nameIs(int start, int end, String lowerCaseName) {
    if (end - start != lowerCaseName.length()) {
      return false;
    }
    for (int i = 0; i < lowerCaseName.length(); i++) {
      int b = buffer[start + i];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lowerCaseName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean valueIs(int start, int end, String lowerCaseValue) {
    return nameIs(start, end, lowerCaseValue);
  }

  private boolean startsWith(int start, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (buffer[start + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int skipSpaces(int i, int end) {
    while (i < end && (buffer[i] == ' ' || buffer[i] == '\t')) {
      i++;
    }
    return i;
  }

  private int trimEnd(int start, int end) {
    while (end > start && (buffer[end - 1] == ' ' || buffer[end - 1] == '\t')) {
      end--;
    }
    return end;
  }

  private static int indexOf(byte[] a, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private String text(int start, int end) {
    return new String(buffer, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1);
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private void closeQuietly() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
    in = null;
    out = null;
    pos = 0;
    limit = 0;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
