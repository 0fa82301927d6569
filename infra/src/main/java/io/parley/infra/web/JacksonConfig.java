package io.parley.infra.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
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
 * string where a number or boolean is expected — is a 400, never silently coerced. A key that
 * appears twice in one object is malformed JSON (not "the last one wins"). An enum is one of its
 * names exactly: not a number (Jackson would take {@code 1} as the second constant), not a name
 * with blanks around it (Jackson trims). Decimals are written in their shortest form (0.6, not
 * 0.600).
 *
 * <p>The Axon serializer's mapper is a copy of this one (PrivacyConfig): what Parley stored was
 * written by Jackson, which never writes duplicate keys, enum indexes or padded names.
 */
@Configuration(proxyBeanMethods = false)
public class JacksonConfig {

  @Bean
  public Jackson2ObjectMapperBuilderCustomizer strictTypes() {
    return builder ->
        builder
            .featuresToEnable(
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .modulesToInstall(
                new SimpleModule("parley-decimals").addSerializer(new DecimalSerializer()),
                new SimpleModule("parley-exact-enums").setDeserializerModifier(new ExactEnums()))
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

  /** Wraps every enum deserializer in {@link ExactEnumDeserializer}. */
  static final class ExactEnums extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(
        DeserializationConfig config,
        JavaType type,
        BeanDescription description,
        JsonDeserializer<?> deserializer) {
      return new ExactEnumDeserializer(deserializer);
    }
  }

  /**
   * Refuses an enum string with leading or trailing whitespace, which Jackson's own enum
   * deserializer would trim and accept; everything else is left to that deserializer.
   */
  static final class ExactEnumDeserializer extends DelegatingDeserializer {
    ExactEnumDeserializer(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new ExactEnumDeserializer(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        String text = parser.getText();
        if (!text.equals(text.trim()) || !text.equals(text.strip())) {
          return context.handleWeirdStringValue(
              handledType(), text, "not one of the enum's names exactly");
        }
      }
      return super.deserialize(parser, context);
    }
  }
}
