package io.parley.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * An in-process KRaft broker that a test can stop and start again at the same address, to show what
 * its clients do through a broker outage.
 *
 * <p>The in-process broker cannot be given a fixed port (spring-kafka-test's KRaft broker always
 * binds a random one), so clients reach it through a TCP relay on a port of its own, which the
 * broker advertises as its address ({@code advertised.listeners}): every connection, bootstrap and
 * after, goes through the relay. {@link #stop()} shuts the broker down (its log is gone) and closes
 * every relayed connection; while it is stopped the relay closes each new connection at once, as a
 * host without a broker would. {@link #start()} starts a new broker, empty (a fresh log directory
 * and cluster id), at the same address. A test therefore consumes what it needs from the first
 * broker before stopping it.
 */
public final class RestartableKafka implements AutoCloseable {

  private final ServerSocket relay;
  private final Set<Socket> relayed = ConcurrentHashMap.newKeySet();
  private volatile EmbeddedKafkaKraftBroker broker;
  private volatile int brokerPort = -1;
  private volatile boolean closed;

  private RestartableKafka(ServerSocket relay) {
    this.relay = relay;
  }

  static RestartableKafka open() {
    try {
      ServerSocket relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      RestartableKafka kafka = new RestartableKafka(relay);
      Thread accepting = new Thread(kafka::accept, "kafka-relay-" + relay.getLocalPort());
      accepting.setDaemon(true);
      accepting.start();
      kafka.startBroker();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where clients connect: the relay, the same across restarts. */
  public String bootstrapServers() {
    return relay.getInetAddress().getHostAddress() + ":" + relay.getLocalPort();
  }

  /** Whether a broker is running behind the relay. */
  public boolean isRunning() {
    return broker != null;
  }

  /** Shuts the broker down and cuts every connection to it. */
  public synchronized void stop() {
    if (broker == null) {
      return;
    }
    brokerPort = -1;
    cutConnections();
    broker.destroy();
    broker = null;
    cutConnections();
  }

  /** Starts a new, empty broker at the same address. */
  public synchronized void start() {
    if (broker == null) {
      startBroker();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    stop();
    try {
      relay.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private void startBroker() {
    EmbeddedKafkaKraftBroker started =
        TestKafka.inProcess(Map.of("advertised.listeners", "EXTERNAL://" + bootstrapServers()));
    String[] hostAndPort = started.getBrokersAsString().split(",")[0].split(":");
    brokerPort = Integer.parseInt(hostAndPort[hostAndPort.length - 1]);
    broker = started;
  }

  private void cutConnections() {
    for (Socket socket : relayed) {
      closeQuietly(socket);
    }
    relayed.clear();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = relay.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      int port = brokerPort;
      if (port < 0) {
        closeQuietly(client); // no broker: the connection ends at once
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress("localhost", port), 2_000);
        relayed.add(client);
        relayed.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException ignored) {
                // connection cut or closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                relayed.remove(from);
                relayed.remove(to);
              }
            },
            "kafka-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
