package io.parley.infra.security;

import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The dev mode signing key: an RSA key generated on first start and kept as a JWK in the data
 * directory, so tokens survive restarts. Never used in prod.
 */
public final class DevSigningKey {

  static final String FILE_NAME = "dev-signing-key.jwk.json";

  private DevSigningKey() {}

  public static RSAKey loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      }
      RSAKey key =
          new RSAKeyGenerator(2048)
              .keyUse(KeyUse.SIGNATURE)
              .keyID(UUID.randomUUID().toString())
              .generate();
      Files.createDirectories(dataDir);
      Path temp = Files.createTempFile(dataDir, "dev-signing-key", ".tmp");
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on non-POSIX file systems
      }
      Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the dev signing key in " + dataDir, e);
    } catch (ParseException | com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("The dev signing key in " + file + " is unusable", e);
    }
  }
}
