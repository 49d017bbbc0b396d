# Converts a simple CSV (no quoted fields, no missing values) to CDISC Dataset-JSON v1.1, for tests
# that read the same data in both formats (e.g. the peak-memory comparison of tests/cli/input.sh).
# Usage: awk -v types=string,double,integer,... -f csv_to_dataset_json.awk in.csv > out.json
# types: one Dataset-JSON dataType per column (string values are written quoted, others as is).
BEGIN { FS = ","; ntypes = split(types, type, ",") }
NR == 1 {
  if (NF != ntypes) { print "csv_to_dataset_json: " NF " columns but " ntypes " types" > "/dev/stderr"; exit 2 }
  printf "{\"datasetJSONCreationDateTime\":\"2024-01-01T00:00:00\",\"datasetJSONVersion\":\"1.1.0\","
  printf "\"itemGroupOID\":\"IG.T\",\"name\":\"T\",\"label\":\"test data\",\"columns\":["
  for (i = 1; i <= NF; i++)
    printf "%s{\"itemOID\":\"IT.%s\",\"name\":\"%s\",\"label\":\"%s\",\"dataType\":\"%s\"}", (i > 1 ? "," : ""), $i, $i, $i, type[i]
  printf "],\"rows\":[\n"
  next
}
{
  printf "%s[", (NR > 2 ? ",\n" : "")
  for (i = 1; i <= NF; i++) printf "%s%s", (i > 1 ? "," : ""), (type[i] == "string" ? "\"" $i "\"" : $i)
  printf "]"
  rows++
}
END { printf "\n],\"records\":%d}\n", rows }
