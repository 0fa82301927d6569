package io.parley.infra.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.ParleyModes;
import io.parley.infra.ParleyProperties;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Crypto-shredding wiring (ADR 0007): master keys, the data key store, and the Axon serializer
 * whose ObjectMapper encrypts {@code @PersonalData} fields. One serializer serves events,
 * snapshots, messages, sagas and deadlines alike, so personal data is encrypted wherever Axon
 * stores it.
 */
@Configuration(proxyBeanMethods = false)
public class PrivacyConfig {

  private static final Logger log = LoggerFactory.getLogger(PrivacyConfig.class);

  @Bean
  public MasterKeys masterKeys(
      CryptoProperties crypto, ParleyProperties properties, Environment environment) {
    return MasterKeys.fromConfiguration(
        crypto, properties.dataDir(), ParleyModes.isProd(environment));
  }

  @Bean
  public JooqDataKeyStore dataKeyStore(
      DSLContext db, MasterKeys masterKeys, CryptoProperties crypto, MeterRegistry meters) {
    return new JooqDataKeyStore(db, masterKeys, crypto, meters);
  }

  @Bean
  public PersonalDataCipher personalDataCipher(DataKeyStore keys, MeterRegistry meters) {
    return new PersonalDataCipher(keys, meters);
  }

  @Bean
  @Primary
  public Serializer serializer(
      ObjectMapper httpMapper, RevisionResolver revisionResolver, PersonalDataCipher cipher) {
    ObjectMapper storage = httpMapper.copy().registerModule(new PersonalDataJacksonModule(cipher));
    return JacksonSerializer.builder()
        .objectMapper(storage)
        .revisionResolver(revisionResolver)
        .build();
  }

  @Bean
  @Qualifier("eventSerializer")
  public Serializer eventSerializer(Serializer serializer) {
    return serializer;
  }

  @Bean
  @Qualifier("messageSerializer")
  public Serializer messageSerializer(Serializer serializer) {
    return serializer;
  }

  /** Master key rotation: re-wrap data keys still under an older master key. Idempotent. */
  @Bean
  public ApplicationRunner rewrapDataKeys(JooqDataKeyStore keys) {
    return args -> {
      int rewrapped = keys.rewrapAll();
      if (rewrapped > 0) {
        log.info("Re-wrapped {} data keys with the active master key", rewrapped);
      }
    };
  }
}
