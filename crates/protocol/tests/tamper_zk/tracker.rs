//! The serializer behind [`super::serde_walk::Map::of`]: it writes postcard's encoding (varints
//! for integers and lengths, variant indices as varints, `Option` as a 0/1 tag, fixed-size tuples
//! without a length, `is_human_readable() == false`) and records the tree as it goes.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::serde_walk::{Elem, Error, Map, Seq, Some_, varint};

/// Serde's struct name for p3's extension-field elements (`BinomialExtensionField` is an alias).
const EF_STRUCT: &str = "ExtField";

/// Encodes `value` and records its tree, not recording the subtrees at the paths in `skip`.
pub fn track<T: Serialize + ?Sized>(value: &T, skip: &[&str]) -> Result<Map, Error> {
    let mut t = Tracker {
        map: Map::default(),
        path: vec![],
        frames: vec![],
        in_ef: 0,
        skip: skip.iter().map(|s| s.to_string()).collect(),
        skipping: 0,
    };
    value.serialize(&mut t)?;
    Ok(t.map)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn join(path: &[String]) -> String {
    let mut s = String::new();
    for p in path {
        if !p.starts_with('[') && !s.is_empty() {
            s.push('.');
        }
        s.push_str(p);
    }
    s
}

enum Frame {
    /// A sequence (index into `map.seqs`) and the next item's index.
    Seq(usize, usize),
    /// A tuple, and the next item's index.
    Tuple(usize),
    /// An extension-field element.
    Ef,
    Other,
}

struct Tracker {
    map: Map,
    path: Vec<String>,
    frames: Vec<Frame>,
    in_ef: usize,
    skip: Vec<String>,
    skipping: usize,
}

impl Tracker {
    fn recording(&self) -> bool {
        self.in_ef == 0 && self.skipping == 0
    }

    fn path_string(&self) -> String {
        join(&self.path)
    }

    fn leaf(&mut self, kind: &'static str, bytes: &[u8]) {
        if self.recording() {
            let p = self.path_string();
            self.map.others.push((p, kind));
        }
        self.map.bytes.extend_from_slice(bytes);
    }

    fn tag(&mut self, index: u32) {
        self.map.bytes.extend(varint(index as u64));
    }

    /// Serializes a child under path segment `seg`, skipping its recording if its path is listed.
    fn child<T: Serialize + ?Sized>(&mut self, seg: String, value: &T) -> Result<(), Error> {
        self.path.push(seg);
        let skipped = self.recording() && {
            let p = self.path_string();
            self.skip.contains(&p)
        };
        let start = self.map.bytes.len();
        if skipped {
            self.skipping += 1;
        }
        let r = value.serialize(&mut *self);
        if skipped {
            self.skipping -= 1;
            let p = self.path_string();
            let end = self.map.bytes.len();
            self.map.skipped.push((p, start..end));
        }
        self.path.pop();
        r
    }

    /// The next element of the innermost sequence or tuple.
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let start = self.map.bytes.len();
        let (i, seq) = match self.frames.last_mut() {
            Some(Frame::Seq(s, i)) => {
                *i += 1;
                (*i - 1, Some(*s))
            }
            Some(Frame::Tuple(i)) => {
                *i += 1;
                (*i - 1, None)
            }
            _ => unreachable!("element outside a sequence"),
        };
        self.child(format!("[{i}]"), value)?;
        if let Some(s) = seq {
            let end = self.map.bytes.len();
            self.map.seqs[s].items.push(start..end);
        }
        Ok(())
    }
}

impl ser::Serializer for &mut Tracker {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.leaf("bool", &[v as u8]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.leaf("i8", &[v as u8]);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.leaf("i16", &varint(zigzag(v as i64)));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.leaf("i32", &varint(zigzag(v as i64)));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.leaf("i64", &varint(zigzag(v)));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.leaf("u8", &[v]);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.leaf("u16", &varint(v as u64));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.leaf("u32", &varint(v as u64));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.leaf("u64", &varint(v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.leaf("f32", &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.leaf("f64", &v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.serialize_bytes(v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut b = varint(v.len() as u64);
        b.extend_from_slice(v);
        self.leaf("bytes", &b);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.map.bytes.push(0);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        let start = self.map.bytes.len();
        self.map.bytes.push(1);
        value.serialize(&mut *self)?;
        if self.recording() {
            let path = self.path_string();
            let range = start..self.map.bytes.len();
            self.map.somes.push(Some_ { path, range });
        }
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, i: u32, _: &'static str) -> Result<(), Error> {
        self.tag(i);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.tag(i);
        self.child(variant.to_string(), value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Error> {
        let len = len.ok_or_else(|| Error("postcard needs sequence lengths".into()))?;
        let start = self.map.bytes.len();
        self.map.bytes.extend(varint(len as u64));
        if self.recording() {
            self.map.seqs.push(Seq {
                path: self.path_string(),
                len_at: start..self.map.bytes.len(),
                items: vec![],
                of_ef: false,
            });
            self.frames.push(Frame::Seq(self.map.seqs.len() - 1, 0));
        } else {
            self.frames.push(Frame::Tuple(0));
        }
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        self.frames.push(Frame::Tuple(0));
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.frames.push(Frame::Tuple(0));
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        i: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.tag(i);
        self.path.push(variant.to_string());
        self.frames.push(Frame::Tuple(0));
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("maps are not walked (none in a proof)".into()))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Error> {
        if name == EF_STRUCT {
            if self.recording() {
                let parent = self.frames.last().and_then(|f| match f {
                    Frame::Seq(_, i) | Frame::Tuple(i) if *i > 0 => {
                        Some((join(&self.path[..self.path.len() - 1]), *i - 1))
                    }
                    _ => None,
                });
                if let Some(Frame::Seq(s, _)) = self.frames.last() {
                    self.map.seqs[*s].of_ef = true;
                }
                let path = self.path_string();
                let offset = self.map.bytes.len();
                self.map.elems.push(Elem {
                    path,
                    parent,
                    offset,
                });
            }
            self.in_ef += 1;
            self.frames.push(Frame::Ef);
        } else {
            self.frames.push(Frame::Other);
        }
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        i: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.tag(i);
        self.path.push(variant.to_string());
        self.frames.push(Frame::Other);
        Ok(self)
    }
}

impl Tracker {
    fn end_frame(&mut self) {
        if let Some(Frame::Ef) = self.frames.pop() {
            self.in_ef -= 1;
        }
    }
}

impl ser::SerializeSeq for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        self.path.pop();
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        if self.in_ef > 0 {
            return v.serialize(&mut **self);
        }
        self.child(key.to_string(), v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Tracker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.child(key.to_string(), v)
    }
    fn end(self) -> Result<(), Error> {
        self.end_frame();
        self.path.pop();
        Ok(())
    }
}
