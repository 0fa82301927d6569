package io.parley.infra.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Strict JSON types (API.md): a number, boolean, object or array where a string is expected — or a
 * string where a number or boolean is expected — is a 400, never silently coerced. Decimals are
 * written in their shortest form (0.6, not 0.600).
 */
@Configuration(proxyBeanMethods = false)
public class JacksonConfig {

  @Bean
  public Jackson2ObjectMapperBuilderCustomizer strictTypes() {
    return builder ->
        builder
            .modulesToInstall(
                new SimpleModule("parley-decimals").addSerializer(new DecimalSerializer()))
            .postConfigurer(
                mapper -> {
                  mapper
                      .coercionConfigFor(LogicalType.Textual)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                  for (LogicalType numeric :
                      new LogicalType[] {
                        LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
                      }) {
                    mapper
                        .coercionConfigFor(numeric)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                  }
                  mapper
                      .coercionConfigFor(LogicalType.Boolean)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                });
  }

  static final class DecimalSerializer extends StdSerializer<BigDecimal> {
    DecimalSerializer() {
      super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      BigDecimal shortest = value.stripTrailingZeros();
      generator.writeNumber(shortest.scale() < 0 ? shortest.setScale(0) : shortest);
    }
  }
}
