package io.parley.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Command-line options of {@link MessageLoadBenchmark}. Every run is bounded in count and time. */
final class BenchOptions {

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  URI url = URI.create("http://127.0.0.1:8080");
  int clients = 16;
  int conversations = 64;

  /** Distinct sender users; 0 means one per client. */
  int users = 0;

  /** Target messages per second over all clients; 0 = as fast as possible (closed loop). */
  double rate = 0;

  double durationSeconds = 60;
  double warmupSeconds = 10;
  long maxMessages = 1_000_000;
  double catchupTimeoutSeconds = 120;
  double requestTimeoutSeconds = 30;
  boolean sampleLag = true;
  boolean verify = true;
  int textLength = 120;
  String label = "";

  /** Consents every user grants before the load (for example CARD_GENERATION). */
  List<String> consents = List.of();

  Path jsonOut;

  /** Long-conversation mode: fill one conversation with this many messages (0 = off). */
  long longConversation = 0;

  /** Sequential sends measured into each of the long and the fresh conversation. */
  int samples = 500;

  double fillTimeoutSeconds = 1800;

  /**
   * How the sending clients talk HTTP: "socket" (one keep-alive connection per client over a plain
   * socket, {@link KeepAliveConnection}; cheap) or "jdk" (the shared JDK HttpClient, as before).
   */
  String sender = "socket";

  static final String USAGE =
      """
      usage: MessageLoadBenchmark [options]
        --url U                 Parley base URL, loopback only (default http://127.0.0.1:8080)
        --clients N             concurrent sender threads (default 16)
        --conversations M       conversations the load is spread over (default 64)
        --users U               distinct sender users, all participants everywhere (default = clients)
        --rate R                target accepted+rejected messages/s in total; 0 = as fast as possible
                                (R > 0 paces open-loop: latency is measured from the scheduled send time)
        --duration S            measured seconds (default 60)
        --warmup S              seconds of load before measuring (default 10)
        --max-messages X        hard bound on messages sent, warm-up included (default 1000000)
        --catchup-timeout S     bound on waiting for the projections after the load (default 120)
        --request-timeout S     per-request timeout (default 30)
        --sample-lag true|false sample timeline visibility lag during the run (default true)
        --verify true|false     after catch-up, page every timeline and compare ids (default true)
        --text-length L         characters per message (default 120)
        --label NAME            free-form name printed with the results
        --consents P[,P]        purposes every user grants before the load (CARD_GENERATION,
                                ANALYTICS, AI_PROCESSING; default none)
        --json FILE             also write the results as JSON to FILE
        --long-conversation K   instead: fill ONE conversation with K messages (using --clients
                                concurrent senders), then compare sequential send latency into it
                                with a fresh conversation
        --samples S             sequential sends measured per conversation in that mode (default 500)
        --fill-timeout S        bound on the fill (default 1800)
        --sender socket|jdk     how the sending clients (and the lag sampler) talk HTTP: one
                                keep-alive connection each over a plain socket (default; cheap), or
                                the shared JDK HttpClient (about 0.7 ms of CPU a request); set-up,
                                catch-up and verification always use the JDK HttpClient
      """;

  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else if (arg.startsWith("--")) {
        name = arg.substring(2);
        if (name.equals("help")) {
          throw new IllegalArgumentException("");
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + arg);
        }
        value = args[++i];
      } else {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      switch (name) {
        case "url" -> o.url = loopbackOnly(value);
        case "clients" -> o.clients = positiveInt(name, value);
        case "conversations" -> o.conversations = positiveInt(name, value);
        case "users" -> o.users = nonNegativeInt(name, value);
        case "rate" -> o.rate = nonNegativeDouble(name, value);
        case "duration" -> o.durationSeconds = nonNegativeDouble(name, value);
        case "warmup" -> o.warmupSeconds = nonNegativeDouble(name, value);
        case "max-messages" -> o.maxMessages = positiveLong(name, value);
        case "catchup-timeout" -> o.catchupTimeoutSeconds = nonNegativeDouble(name, value);
        case "request-timeout" -> o.requestTimeoutSeconds = nonNegativeDouble(name, value);
        case "sample-lag" -> o.sampleLag = bool(name, value);
        case "verify" -> o.verify = bool(name, value);
        case "text-length" -> o.textLength = positiveInt(name, value);
        case "label" -> o.label = value;
        case "consents" -> o.consents = value.isBlank() ? List.of() : List.of(value.split(","));
        case "json" -> o.jsonOut = Path.of(value);
        case "long-conversation" -> o.longConversation = positiveLong(name, value);
        case "samples" -> o.samples = positiveInt(name, value);
        case "fill-timeout" -> o.fillTimeoutSeconds = nonNegativeDouble(name, value);
        case "sender" -> o.sender = oneOf(name, value, "socket", "jdk");
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    if (o.users == 0) {
      o.users = o.clients;
    }
    if (o.users > 999) {
      throw new IllegalArgumentException("--users: a conversation has at most 1,000 participants");
    }
    if (o.textLength > 10_000) {
      throw new IllegalArgumentException("--text-length: at most 10,000");
    }
    if (o.sender.equals("socket") && !"http".equalsIgnoreCase(o.url.getScheme())) {
      throw new IllegalArgumentException(
          "--sender socket speaks plain http only: use --sender jdk");
    }
    if (o.durationSeconds <= 0 && o.longConversation == 0) {
      throw new IllegalArgumentException("--duration must be > 0");
    }
    return o;
  }

  /** Refuses anything that is not a loopback address: this tool generates load. */
  static URI loopbackOnly(String value) {
    URI uri;
    try {
      uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url: not a URL: " + value);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("--url: http or https only");
    }
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("--url: no host in " + value);
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    boolean loopback;
    if (bare.equalsIgnoreCase("localhost")) {
      loopback = true;
    } else if (IPV4_LITERAL.matcher(bare).matches() || bare.contains(":")) {
      // An IP literal: getByName parses it without any name lookup.
      try {
        loopback = InetAddress.getByName(bare).isLoopbackAddress();
      } catch (UnknownHostException e) {
        loopback = false;
      }
    } else {
      loopback = false; // a name other than localhost would need a lookup: refuse it
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "--url: refusing non-loopback host " + host + " (use 127.0.0.1, ::1 or localhost)");
    }
    return uri;
  }

  private static int positiveInt(String name, String value) {
    int v = nonNegativeInt(name, value);
    if (v == 0) {
      throw new IllegalArgumentException("--" + name + " must be > 0");
    }
    return v;
  }

  private static int nonNegativeInt(String name, String value) {
    try {
      int v = Integer.parseInt(value);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a non-negative integer: " + value);
    }
  }

  private static long positiveLong(String name, String value) {
    try {
      long v = Long.parseLong(value.replace("_", ""));
      if (v <= 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a positive integer: " + value);
    }
  }

  private static double nonNegativeDouble(String name, String value) {
    try {
      double v = Double.parseDouble(value);
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a non-negative number: " + value);
    }
  }

  private static String oneOf(String name, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException("--" + name + ": one of " + String.join(", ", allowed));
  }

  private static boolean bool(String name, String value) {
    return switch (value.toLowerCase()) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("--" + name + ": true or false");
    };
  }
}
