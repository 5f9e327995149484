//! The two data file shapes as serde seeds over [`stream`](super::stream): an input (or
//! calibration) file and a test set. Unknown fields are skipped without being kept.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::stream::{Budget, Indices, Key, Lists, once, skip};
use super::{InputFile, TestSet};

/// `{"input_data": [[...], ...], "output_data": [[...]]?}`.
pub(crate) struct InputSeed<'a> {
    pub budget: &'a Budget,
    /// Keep `output_data` (conformance compares with it); otherwise it is skipped, unread.
    pub keep_output_data: bool,
}

const INPUT_KEYS: &[&str] = &["input_data", "output_data"];

impl<'de> DeserializeSeed<'de> for InputSeed<'_> {
    type Value = InputFile;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<InputFile, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for InputSeed<'_> {
    type Value = InputFile;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an object {"input_data": [[...]]}"#)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<InputFile, A::Error> {
        let (mut input, mut output) = (None, None);
        while let Some(key) = map.next_key_seed(Key(INPUT_KEYS))? {
            match key {
                Some(0) => {
                    let v = map.next_value_seed(Lists {
                        name: "input_data",
                        budget: self.budget,
                        nullable: false,
                    })?;
                    once(&mut input, "input_data", v.unwrap_or_default())?;
                }
                Some(1) if self.keep_output_data => {
                    let v = map.next_value_seed(Lists {
                        name: "output_data",
                        budget: self.budget,
                        nullable: true,
                    })?;
                    once(&mut output, "output_data", v)?;
                }
                _ => skip(&mut map)?,
            }
        }
        let input_data = input.ok_or_else(|| de::Error::missing_field("input_data"))?;
        if input_data.is_empty() {
            return Err(de::Error::custom("input_data is empty"));
        }
        Ok(InputFile {
            input_data,
            output_data: output.flatten(),
        })
    }
}

/// `{"shape": [...], "inputs": [[...]], "labels": [...]?, "float_logits": [[...]]?}`.
pub(crate) struct TestSetSeed<'a> {
    pub budget: &'a Budget,
}

const TEST_SET_KEYS: &[&str] = &["shape", "inputs", "labels", "float_logits"];

impl<'de> DeserializeSeed<'de> for TestSetSeed<'_> {
    type Value = TestSet;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TestSet, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TestSetSeed<'_> {
    type Value = TestSet;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an object {"shape": [...], "inputs": [[...]], "labels": [...]}"#)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TestSet, A::Error> {
        let b = self.budget;
        let (mut shape, mut inputs, mut labels, mut logits) = (None, None, None, None);
        while let Some(key) = map.next_key_seed(Key(TEST_SET_KEYS))? {
            match key {
                Some(0) => {
                    let v = map.next_value_seed(Indices {
                        name: "shape",
                        what: "a size",
                        budget: b,
                    })?;
                    once(&mut shape, "shape", v)?;
                }
                Some(1) => {
                    let v = map.next_value_seed(Lists {
                        name: "inputs",
                        budget: b,
                        nullable: false,
                    })?;
                    once(&mut inputs, "inputs", v.unwrap_or_default())?;
                }
                Some(2) => {
                    let v: Option<Vec<usize>> = map.next_value_seed(Nullable(Indices {
                        name: "labels",
                        what: "a class index",
                        budget: b,
                    }))?;
                    once(&mut labels, "labels", v)?;
                }
                Some(3) => {
                    let v = map.next_value_seed(Lists {
                        name: "float_logits",
                        budget: b,
                        nullable: true,
                    })?;
                    once(&mut logits, "float_logits", v)?;
                }
                _ => skip(&mut map)?,
            }
        }
        let shape = shape.ok_or_else(|| de::Error::missing_field("shape"))?;
        let inputs = inputs.ok_or_else(|| de::Error::missing_field("inputs"))?;
        if inputs.is_empty() {
            return Err(de::Error::custom("inputs is empty"));
        }
        let labels = labels.flatten();
        if let Some(l) = &labels
            && l.len() != inputs.len()
        {
            return Err(de::Error::custom(format_args!(
                "{} labels for {} inputs",
                l.len(),
                inputs.len()
            )));
        }
        Ok(TestSet {
            shape,
            inputs,
            labels,
            float_logits: logits.flatten(),
        })
    }
}

/// `null` or what the inner seed reads.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a list")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}
