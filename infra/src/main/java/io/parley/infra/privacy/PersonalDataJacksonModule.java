package io.parley.infra.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.parley.api.privacy.PersonalData;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Teaches the Axon serializer's ObjectMapper about {@link PersonalData}: annotated fields are
 * written as encrypted envelopes and read back in clear (or as null once their key is gone). Only
 * the storage mapper has this module; HTTP responses use Spring's own mapper.
 */
public final class PersonalDataJacksonModule extends Module {

  private final PersonalDataCipher cipher;

  public PersonalDataJacksonModule(PersonalDataCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public String getModuleName() {
    return "parley-personal-data";
  }

  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  @Override
  public void setupModule(SetupContext context) {
    context.insertAnnotationIntrospector(new Introspector(cipher));
  }

  private static final class Introspector extends NopAnnotationIntrospector {
    private final transient PersonalDataCipher cipher;

    Introspector(PersonalDataCipher cipher) {
      this.cipher = cipher;
    }

    @Override
    public Object findSerializer(Annotated annotated) {
      PersonalData marker = annotated.getAnnotation(PersonalData.class);
      return marker == null ? null : new EncryptingSerializer(cipher, marker);
    }

    @Override
    public Object findDeserializer(Annotated annotated) {
      return annotated.hasAnnotation(PersonalData.class)
          ? new DecryptingDeserializer(cipher)
          : null;
    }
  }

  /** Encrypts with the key of the subject named by a sibling property of the same object. */
  static final class EncryptingSerializer extends StdSerializer<String> {
    private static final Map<Class<?>, Map<String, Method>> ACCESSORS = new ConcurrentHashMap<>();

    private final transient PersonalDataCipher cipher;
    private final transient PersonalData marker;

    EncryptingSerializer(PersonalDataCipher cipher, PersonalData marker) {
      super(String.class);
      this.cipher = cipher;
      this.marker = marker;
    }

    @Override
    public void serialize(String value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      Object owner = generator.getOutputContext().getCurrentValue();
      if (owner == null) {
        throw new IllegalStateException("@PersonalData is only supported on fields of objects");
      }
      Object subject = read(owner, marker.subject());
      Instant datedAt =
          marker.datedBy().isEmpty() ? Instant.now() : (Instant) read(owner, marker.datedBy());
      if (datedAt == null) {
        datedAt = Instant.now();
      }
      if (subject instanceof Collection<?> subjects && !subjects.isEmpty()) {
        List<String> subjectIds = new ArrayList<>(subjects.size());
        for (Object each : subjects) {
          subjectIds.add((String) each);
        }
        generator.writeString(cipher.encryptShared(value, subjectIds, marker.category(), datedAt));
        return;
      }
      if (!(subject instanceof String subjectId)) {
        throw new IllegalStateException(
            "@PersonalData(subject = \""
                + marker.subject()
                + "\") on "
                + owner.getClass().getSimpleName()
                + " does not name a non-null String or a non-empty collection of them");
      }
      generator.writeString(cipher.encrypt(value, subjectId, marker.category(), datedAt));
    }

    private static Object read(Object owner, String property) {
      Method accessor =
          ACCESSORS
              .computeIfAbsent(owner.getClass(), type -> new ConcurrentHashMap<>())
              .computeIfAbsent(property, name -> accessor(owner.getClass(), name));
      try {
        return accessor.invoke(owner);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "Cannot read " + property + " of " + owner.getClass().getSimpleName(), e);
      }
    }

    private static Method accessor(Class<?> type, String name) {
      for (String candidate :
          new String[] {name, "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1)}) {
        try {
          Method method = type.getMethod(candidate);
          method.setAccessible(true);
          return method;
        } catch (NoSuchMethodException next) {
          // try the next naming convention
        }
      }
      throw new IllegalStateException("No accessor " + name + " on " + type.getSimpleName());
    }
  }

  static final class DecryptingDeserializer extends StdDeserializer<String> {
    private final transient PersonalDataCipher cipher;

    DecryptingDeserializer(PersonalDataCipher cipher) {
      super(String.class);
      this.cipher = cipher;
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String raw = parser.getValueAsString();
      // Values stored before encryption existed are read as they are.
      return PersonalDataCipher.isEnvelope(raw) ? cipher.decrypt(raw) : raw;
    }
  }
}
