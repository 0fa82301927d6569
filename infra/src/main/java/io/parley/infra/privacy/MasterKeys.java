package io.parley.infra.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap data keys (envelope encryption). From configuration in prod; in dev,
 * when none are configured, one is generated on first start and kept in the data directory.
 */
public final class MasterKeys {

  static final String DEV_FILE = "dev-master-keys.json";
  static final String MISSING =
      "Parley prod mode needs master keys: set parley.crypto.master-keys.<id> (32 bytes, Base64)"
          + " and parley.crypto.active-master-key=<id>";

  private final Map<String, SecretKey> keys;
  private final String activeId;

  MasterKeys(Map<String, SecretKey> keys, String activeId) {
    if (!keys.containsKey(activeId)) {
      throw new IllegalStateException(
          "parley.crypto.active-master-key names a key that is not in parley.crypto.master-keys");
    }
    this.keys = Map.copyOf(keys);
    this.activeId = activeId;
  }

  static MasterKeys fromConfiguration(CryptoProperties properties, Path dataDir, boolean prod) {
    if (properties.masterKeys() != null && !properties.masterKeys().isEmpty()) {
      Map<String, SecretKey> keys = new LinkedHashMap<>();
      properties
          .masterKeys()
          .forEach((id, base64) -> keys.put(id, aesKey(Base64.getDecoder().decode(base64.trim()))));
      if (properties.activeMasterKey() == null) {
        throw new IllegalStateException("parley.crypto.active-master-key is not set");
      }
      return new MasterKeys(keys, properties.activeMasterKey());
    }
    if (prod) {
      throw new IllegalStateException(MISSING);
    }
    return loadOrCreateDevKeys(dataDir);
  }

  String activeId() {
    return activeId;
  }

  SecretKey active() {
    return keys.get(activeId);
  }

  /** Null when this node does not know the key (configuration is missing a rotation's old key). */
  SecretKey byId(String id) {
    return keys.get(id);
  }

  /**
   * A 32-byte key for {@code purpose} derived from the active master key (HMAC-SHA256), the same on
   * every node: for pseudonyms that must not be checkable without the server's keys (the ops
   * console's association values). It changes when the active master key is rotated.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(active().getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static SecretKey aesKey(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalStateException("A master key must be 32 bytes (AES-256), Base64-encoded");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  private static MasterKeys loadOrCreateDevKeys(Path dataDir) {
    Path file = dataDir.resolve(DEV_FILE);
    ObjectMapper json = new ObjectMapper();
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(dataDir);
        Path temp = Files.createTempFile(dataDir, "dev-master-keys", ".tmp");
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // best effort
        }
        json.writeValue(
            temp.toFile(),
            Map.of(
                "active",
                "dev-1",
                "keys",
                Map.of("dev-1", Base64.getEncoder().encodeToString(key))));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      var tree = json.readTree(file.toFile());
      Map<String, SecretKey> keys = new LinkedHashMap<>();
      tree.get("keys")
          .fields()
          .forEachRemaining(
              e -> keys.put(e.getKey(), aesKey(Base64.getDecoder().decode(e.getValue().asText()))));
      return new MasterKeys(keys, tree.get("active").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the dev master keys in " + dataDir, e);
    }
  }
}
