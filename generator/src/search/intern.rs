//! Strings numbered in order of first use, for the search index: its distinct texts and each
//! document chunk's string table. Items are held as given, so one that borrows from the model
//! is not copied; lookups hash the string and compare it with the items of that hash.

use std::hash::Hasher;

use super::index::{Fx, FxMap};

/// Strings numbered in order of first use, each held once (one that borrows is not copied).
pub struct Interner<T> {
    /// The strings, by number.
    pub items: Vec<T>,
    /// An item's hash → the newest item with that hash; `next` chains to older ones.
    heads: FxMap<u64, u32>,
    next: Vec<u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            items: Vec::new(),
            heads: FxMap::default(),
            next: Vec::new(),
        }
    }
}

impl<T: AsRef<str>> Interner<T> {
    /// The number of `s`, and whether it is new.
    pub fn id(&mut self, s: T) -> (u32, bool) {
        let mut h = Fx::default();
        h.write(s.as_ref().as_bytes());
        let h = h.finish();
        let mut at = self.heads.get(&h).copied().unwrap_or(u32::MAX);
        while at != u32::MAX {
            if self.items[at as usize].as_ref() == s.as_ref() {
                return (at, false);
            }
            at = self.next[at as usize];
        }
        let id = self.items.len() as u32;
        self.next.push(self.heads.insert(h, id).unwrap_or(u32::MAX));
        self.items.push(s);
        (id, true)
    }

    /// String number `id`.
    pub fn get(&self, id: u32) -> &str {
        self.items[id as usize].as_ref()
    }

    /// Forgets every string.
    pub fn clear(&mut self) {
        self.items.clear();
        self.heads.clear();
        self.next.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_a_number_and_others_do_not() {
        let mut i: Interner<&str> = Interner::default();
        assert_eq!(i.id("国际联合实验室"), (0, true));
        assert_eq!(i.id("基地"), (1, true));
        assert_eq!(i.id("国际联合实验室"), (0, false));
        // The hash pads the last eight bytes with zeros: these two hash alike and differ.
        assert_eq!(i.id("a"), (2, true));
        assert_eq!(i.id("a\0"), (3, true));
        assert_eq!((i.id("a"), i.id("a\0")), ((2, false), (3, false)));
        assert_eq!(i.get(3), "a\0");
        i.clear();
        assert_eq!(i.id("基地"), (0, true));
    }
}
