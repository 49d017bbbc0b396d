// The design matrix of a Cox model from table columns, as R's terms() and model.matrix with
// treatment contrasts, without the intercept column (coxph drops it):
//   * terms: --covariates items with R's formula meaning (a*b = a + b + a:b; a:b the interaction
//     alone), ordered by degree and then by first appearance; a term's variables in the order of
//     their first appearance in the formula (R's "b:a" for ~ b + a:b);
//   * a numeric variable is one column, named after it;
//   * a categorical variable (or a numeric one marked `factor`, such as the trial arm) is coded by
//     R's rule: in a term T, by contrasts (one 0/1 column per non-reference level) when T without
//     it is in the model — the empty term counts, R's intercept, so main effects are always
//     contrasts —, else by indicators (one column per level). Levels are those present in the
//     analysed rows, in sorted order (byte order for text, numeric order for numbers); the
//     reference is the given level, else the first;
//   * a term's columns are the products of its variables' columns, the first variable varying
//     fastest, named by joining the parts with ':' ("a[q]:b[v]" where R writes "aq:bv").
// Checked against R's model.matrix column names and values (tests/reference/cox/make_interactions.R).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "util/huge_pages.hpp"
#include "util/two_threads.hpp"

namespace hazard {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (;;) {
    const std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) return out;
    b = e + 1;
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// One variable's coding in the analysed rows.
struct Coded {
  const Column* col = nullptr;
  bool numeric = true;
  std::vector<std::int32_t> code;   // per analysed row: level index (reference 0)
  std::vector<std::string> levels;  // present levels, reference first
};

// Rows: std::span<const std::size_t> or IndexSequence (indexable, sized, iterable).
template <class Rows>
Coded code_variable(const Table& table, const Rows& rows, const DesignSpec& spec) {
  const Column* col = table.find(spec.column);
  if (col == nullptr) throw UsageError("unknown covariate column '" + spec.column + "'");
  for (std::size_t i : rows)
    if (col->is_missing(i))
      throw DataError({.file = table.source_of(i), .line = table.line.empty() ? 0 : table.line[i],
                       .column = spec.column, .value = "", .has_value = true},
                      "missing covariate value");
  Coded b;
  b.col = col;
  if (col->is_numeric() && !spec.factor) {
    if (!spec.ref.empty())
      throw UsageError("--ref " + spec.column + "=" + spec.ref + ": '" + spec.column +
                       "' is a numeric covariate, not categorical");
    return b;
  }
  b.numeric = false;
  // present levels in sorted order
  std::vector<std::int32_t> key(rows.size());
  if (col->is_numeric()) {
    std::vector<double> nums;
    for (std::size_t i : rows) nums.push_back(col->numbers[i]);
    std::sort(nums.begin(), nums.end());
    nums.erase(std::unique(nums.begin(), nums.end()), nums.end());
    spec.level_limit.check(nums.size(), rows.size(), table.source, spec.column,
                           "the categorical covariate (--covariates)");
    std::vector<std::size_t> first(nums.size(), SIZE_MAX);  // a row of each level, for its text
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto at = static_cast<std::size_t>(
          std::lower_bound(nums.begin(), nums.end(), col->numbers[rows[k]]) - nums.begin());
      key[k] = static_cast<std::int32_t>(at);
      if (first[at] == SIZE_MAX) first[at] = rows[k];
    }
    for (std::size_t l = 0; l < nums.size(); ++l) b.levels.push_back(col->text(first[l]));
  } else {
    std::vector<std::uint8_t> present(col->levels.size(), 0);
    for (std::size_t i : rows) present[static_cast<std::size_t>(col->codes[i])] = 1;
    spec.level_limit.check(static_cast<std::size_t>(std::count(present.begin(), present.end(), 1)),
                           rows.size(), table.source, spec.column, "the categorical covariate (--covariates)");
    std::vector<std::int32_t> remap(col->levels.size(), -1);
    for (std::size_t l = 0; l < col->levels.size(); ++l)
      if (present[l]) {
        remap[l] = static_cast<std::int32_t>(b.levels.size());
        b.levels.push_back(col->levels[l]);
      }
    for (std::size_t k = 0; k < rows.size(); ++k)
      key[k] = remap[static_cast<std::size_t>(col->codes[rows[k]])];
  }
  std::size_t ref = 0;
  if (!spec.ref.empty()) {
    auto it = std::find(b.levels.begin(), b.levels.end(), spec.ref);
    if (it == b.levels.end())
      throw DataError({.file = table.source, .column = spec.column, .value = spec.ref, .has_value = true},
                      "reference level not found in the analysed rows");
    ref = static_cast<std::size_t>(it - b.levels.begin());
  }
  // reorder: reference first, others in sorted order
  std::vector<std::int32_t> perm(b.levels.size());
  std::vector<std::string> lv{b.levels[ref]};
  for (std::size_t l = 0, next = 1; l < b.levels.size(); ++l) {
    if (l == ref) {
      perm[l] = 0;
    } else {
      perm[l] = static_cast<std::int32_t>(next++);
      lv.push_back(b.levels[l]);
    }
  }
  b.levels = lv;
  b.code.resize(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) b.code[k] = perm[static_cast<std::size_t>(key[k])];
  return b;
}

}  // namespace

ModelTerms parse_model_terms(const std::vector<std::string>& items, const std::string& lead) {
  ModelTerms m;
  auto variable = [&](const std::string& raw, const std::string& item) {
    const std::string name = trim(raw);
    if (name.empty())
      throw UsageError("--covariates " + item + ": a term has an empty variable name");
    for (std::size_t k = 0; k < m.variables.size(); ++k)
      if (m.variables[k].column == name) return k;
    m.variables.push_back({.column = name});
    return m.variables.size() - 1;
  };
  std::vector<std::vector<std::size_t>> terms;  // in order of appearance
  auto add = [&](std::vector<std::size_t> t) {
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(std::move(t));
  };
  if (!lead.empty()) add({variable(lead, lead)});
  for (const auto& item : items) {
    if (trim(item).empty()) continue;
    // a*b*c: the products of every non-empty subset of the '*' factors, in R's order of
    // expansion ((a + b + a:b) * c = a + b + a:b + c + a:c + b:c + a:b:c); each factor may itself
    // be an interaction (a:b)
    std::vector<std::vector<std::size_t>> expanded;
    for (const auto& factor : split(item, '*')) {
      std::vector<std::size_t> vars;
      for (const auto& v : split(factor, ':')) vars.push_back(variable(v, item));
      const std::size_t before = expanded.size();
      expanded.push_back(vars);
      for (std::size_t k = 0; k < before; ++k) {
        std::vector<std::size_t> t = expanded[k];
        t.insert(t.end(), vars.begin(), vars.end());
        expanded.push_back(std::move(t));
      }
    }
    for (auto& t : expanded) add(std::move(t));
  }
  std::stable_sort(terms.begin(), terms.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  m.terms = std::move(terms);
  return m;
}

namespace {
// The storage of `col` freed (its name and kind stay): a table column the design has read.
void release_column(Table& table, const Column* col) {
  for (Column& c : table.columns)
    if (&c == col) {
      std::vector<double>().swap(c.numbers);
      std::vector<std::int32_t>().swap(c.codes);
    }
}

// `release`, when given, is `table` itself: each of its columns is freed once the design has read
// it (one it does not read and a categorical one once the variables are coded, a numeric one once
// its last model column is written), so that the table shrinks as the design matrix grows.
template <class Rows>
Design design_of(const Table& table, const Rows& rows, const ModelTerms& model,
                 Table* release = nullptr) {
  Design d;
  const auto n = static_cast<Eigen::Index>(rows.size());
  std::vector<Coded> vars;
  for (const DesignSpec& spec : model.variables) vars.push_back(code_variable(table, rows, spec));
  for (std::size_t v = 0; v < vars.size(); ++v)
    d.variables.push_back({.column = model.variables[v].column, .numeric = vars[v].numeric,
                           .levels = vars[v].levels});

  // the columns of each term: per variable of the term, the levels it contributes
  auto in_model = [&](const std::vector<std::size_t>& t) {
    return t.empty() || std::find(model.terms.begin(), model.terms.end(), t) != model.terms.end();
  };
  for (std::size_t t = 0; t < model.terms.size(); ++t) {
    const auto& term = model.terms[t];
    std::string tname;
    for (std::size_t v : term) tname += (tname.empty() ? "" : ":") + model.variables[v].column;
    d.term_names.push_back(tname);
    std::vector<std::vector<int>> choices;  // per variable: level indices, or {-1} (numeric)
    for (std::size_t v : term) {
      if (vars[v].numeric) {
        choices.push_back({-1});
        continue;
      }
      std::vector<std::size_t> margin;
      for (std::size_t u : term)
        if (u != v) margin.push_back(u);
      const int first = in_model(margin) ? 1 : 0;  // contrasts, else indicators
      std::vector<int> levels;
      for (int l = first; l < static_cast<int>(vars[v].levels.size()); ++l) levels.push_back(l);
      choices.push_back(std::move(levels));
    }
    // every combination, the first variable varying fastest
    std::vector<std::size_t> at(term.size(), 0);
    bool empty = false;
    for (const auto& c : choices) empty = empty || c.empty();
    while (!empty) {
      std::vector<std::pair<std::size_t, int>> part;
      std::string name;
      for (std::size_t k = 0; k < term.size(); ++k) {
        const std::size_t v = term[k];
        const int l = choices[k][at[k]];
        part.emplace_back(v, l);
        name += (k ? ":" : "") + model.variables[v].column;
        if (l >= 0) name += "[" + vars[v].levels[static_cast<std::size_t>(l)] + "]";
      }
      d.parts.push_back(std::move(part));
      d.names.push_back(std::move(name));
      d.term.push_back(t);
      std::size_t k = 0;
      while (k < term.size() && ++at[k] == choices[k].size()) at[k++] = 0;
      if (k == term.size()) break;
    }
  }

  d.x.resize(n, static_cast<Eigen::Index>(d.parts.size()));
  detail::advise_huge_pages(d.x.data(), static_cast<std::size_t>(d.x.size()) * sizeof(double));
  // Every column written on two threads, each its half of the rows: Eigen leaves the storage
  // unwritten, so the threads also share the first touch of its fresh pages (the kernel clears
  // each one). A column of one numeric variable is a gather from its table column, one of one
  // factor level an indicator; products (interactions) multiply in the order of the term's parts.
  const std::size_t rows_n = rows.size();
  auto write = [&](std::size_t c, std::size_t lo, std::size_t hi) {
    double* out = d.x.data() + static_cast<std::ptrdiff_t>(c) * d.x.outerStride();
    const auto& part = d.parts[c];
    if (part.size() == 1 && part[0].second < 0) {
      const double* number = vars[part[0].first].col->numbers.data();
      for (std::size_t i = lo; i < hi; ++i) out[i] = number[rows[i]];
    } else if (part.size() == 1) {
      const std::int32_t* code = vars[part[0].first].code.data();
      const int level = part[0].second;
      for (std::size_t i = lo; i < hi; ++i) out[i] = code[i] == level ? 1.0 : 0.0;
    } else {
      for (std::size_t i = lo; i < hi; ++i) {
        double x = 1;
        for (const auto& [v, l] : part)
          x *= l < 0 ? vars[v].col->numbers[rows[i]] : (vars[v].code[i] == l ? 1.0 : 0.0);
        out[i] = x;
      }
    }
  };
  if (!release) {
    detail::two_halves(rows_n * d.parts.size(), [&](int half) {
      const auto [lo, hi] = detail::half_range(rows_n, half);
      for (std::size_t c = 0; c < d.parts.size(); ++c) write(c, lo, hi);
    });
    return d;
  }
  // One model column at a time; each table column is freed after the last model column that
  // reads its values (a categorical variable reads its codes, made above, and a column the design
  // does not read: first).
  std::vector<std::pair<const Column*, std::ptrdiff_t>> until;  // column, last reader (-1: none)
  for (const Column& c : release->columns) until.emplace_back(&c, -1);
  for (std::size_t c = 0; c < d.parts.size(); ++c)
    for (const auto& [v, l] : d.parts[c])
      if (l < 0)
        for (auto& u : until)
          if (u.first == vars[v].col) u.second = static_cast<std::ptrdiff_t>(c);
  auto release_read = [&](std::ptrdiff_t c) {
    for (const auto& u : until)
      if (u.second == c) release_column(*release, u.first);
  };
  release_read(-1);
  for (std::size_t c = 0; c < d.parts.size(); ++c) {
    detail::two_halves(rows_n, [&](int half) {
      const auto [lo, hi] = detail::half_range(rows_n, half);
      write(c, lo, hi);
    });
    release_read(static_cast<std::ptrdiff_t>(c));
  }
  return d;
}
}  // namespace

Design build_design(const Table& table, std::span<const std::size_t> rows, const ModelTerms& model) {
  return design_of(table, rows, model);
}

Design build_design(const Table& table, const IndexSequence& rows, const ModelTerms& model) {
  return design_of(table, rows, model);
}

Design build_design_releasing(Table& table, const IndexSequence& rows, const ModelTerms& model) {
  return design_of(table, rows, model, &table);
}

Design build_design(const Table& table, const IndexSequence& rows, const std::vector<DesignSpec>& specs) {
  ModelTerms m;
  for (const auto& s : specs) {
    m.terms.push_back({m.variables.size()});
    m.variables.push_back(s);
  }
  return design_of(table, rows, m);
}

Design build_design(const Table& table, std::span<const std::size_t> rows,
                    const std::vector<DesignSpec>& specs) {
  ModelTerms m;
  for (const auto& s : specs) {
    m.terms.push_back({m.variables.size()});
    m.variables.push_back(s);
  }
  return build_design(table, rows, m);
}

}  // namespace hazard
