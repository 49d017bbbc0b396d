// IndexSequence: a sequence of 64-bit indices (row numbers, line numbers) that costs no memory
// while each value is the previous one plus one.
//
// Why: a data set of n rows carries, per row, the line its record starts on (Table::line,
// SurvData::line) and, after exclusions, its row in the table (SurvData::row): 8 bytes each, 24 in
// all, more than the time and status themselves. In the usual file (one record per line, no
// blank line, nothing excluded) these are first, first + 1, ...: stored as (first, size), they
// cost nothing, and the memory never has to be written (on virtual machines, fresh memory costs
// about 1 ms per MB in page faults).
//
// Contract: push_back keeps the compact form while each value is the previous plus one; the first
// other value turns the sequence into an explicit vector (copying what came before), which it
// stays. Reads (operator[], iteration) are the same in both forms. Not thread-safe for writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <utility>
#include <vector>

namespace hazard {

class IndexSequence {
 public:
  using value_type = std::uint64_t;
  using size_type = std::size_t;

  IndexSequence() = default;
  /// first, first + 1, ..., first + n - 1 (compact).
  static IndexSequence iota(value_type first, size_type n) {
    IndexSequence s;
    s.first_ = first;
    s.size_ = n;
    return s;
  }
  /// The values of `v` (compact when they are consecutive).
  static IndexSequence from(std::initializer_list<value_type> v) { return from(std::vector<value_type>(v)); }
  /// The values of `v` (compact when they are consecutive).
  static IndexSequence from(const std::vector<value_type>& v) {
    IndexSequence s;
    for (value_type x : v) s.push_back(x);
    return s;
  }

  size_type size() const { return explicit_ ? values_.size() : size_; }
  bool empty() const { return size() == 0; }
  /// Whether the values are stored (not first, first + 1, ...).
  bool is_explicit() const { return explicit_; }
  value_type operator[](size_type i) const { return explicit_ ? values_[i] : first_ + i; }
  value_type front() const { return (*this)[0]; }
  value_type back() const { return (*this)[size() - 1]; }

  void push_back(value_type v) {
    if (!explicit_) {
      if (size_ == 0) first_ = v;
      if (v == first_ + size_) {
        ++size_;
        return;
      }
      materialize(size_ + 1);
    }
    values_.push_back(v);
  }
  /// Appends the values of `other`.
  void append(const IndexSequence& other) {
    if (!explicit_ && !other.explicit_ && (size_ == 0 || other.size_ == 0 || other.first_ == first_ + size_)) {
      if (size_ == 0) first_ = other.first_;
      size_ += other.size_;
      return;
    }
    if (!explicit_) materialize(size_ + other.size());
    values_.reserve(values_.size() + other.size());
    for (size_type i = 0; i < other.size(); ++i) values_.push_back(other[i]);
  }
  /// Adds `delta` to every value (O(1) while compact), e.g. to turn lines counted from the start
  /// of a chunk of a file into the file's lines.
  void shift(value_type delta) {
    if (!explicit_) {
      first_ += delta;
      return;
    }
    for (value_type& v : values_) v += delta;
  }
  /// Room for n values, used only once the sequence is explicit.
  void reserve(size_type n) {
    if (explicit_) values_.reserve(n);
  }
  void clear() {
    values_.clear();
    explicit_ = false;
    first_ = 0;
    size_ = 0;
  }
  void swap(IndexSequence& other) noexcept {
    values_.swap(other.values_);
    std::swap(first_, other.first_);
    std::swap(size_, other.size_);
    std::swap(explicit_, other.explicit_);
  }
  std::vector<value_type> to_vector() const {
    std::vector<value_type> v(size());
    for (size_type i = 0; i < v.size(); ++i) v[i] = (*this)[i];
    return v;
  }
  friend bool operator==(const IndexSequence& a, const IndexSequence& b) {
    if (a.size() != b.size()) return false;
    for (size_type i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  friend bool operator==(const IndexSequence& a, const std::vector<value_type>& b) {
    if (a.size() != b.size()) return false;
    for (size_type i = 0; i < b.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = IndexSequence::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;
    const_iterator() = default;
    const_iterator(const IndexSequence* s, size_type i) : s_(s), i_(i) {}
    value_type operator*() const { return (*s_)[i_]; }
    value_type operator[](difference_type k) const { return (*s_)[i_ + static_cast<size_type>(k)]; }
    const_iterator& operator++() { ++i_; return *this; }
    const_iterator operator++(int) { auto t = *this; ++i_; return t; }
    const_iterator& operator--() { --i_; return *this; }
    const_iterator operator--(int) { auto t = *this; --i_; return t; }
    const_iterator& operator+=(difference_type k) { i_ = static_cast<size_type>(static_cast<difference_type>(i_) + k); return *this; }
    const_iterator& operator-=(difference_type k) { return *this += -k; }
    friend const_iterator operator+(const_iterator a, difference_type k) { return a += k; }
    friend const_iterator operator+(difference_type k, const_iterator a) { return a += k; }
    friend const_iterator operator-(const_iterator a, difference_type k) { return a -= k; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.i_ <=> b.i_; }

   private:
    const IndexSequence* s_ = nullptr;
    size_type i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  // Turns the compact form into values (room for `room`).
  void materialize(size_type room) {
    values_.reserve(room);
    for (size_type i = 0; i < size_; ++i) values_.push_back(first_ + i);
    explicit_ = true;
  }

  std::vector<value_type> values_;  // the values, once explicit
  value_type first_ = 0;            // compact form: first_, first_ + 1, ..., size_ values
  size_type size_ = 0;
  bool explicit_ = false;
};

}  // namespace hazard
