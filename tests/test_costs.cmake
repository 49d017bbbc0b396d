# Read by ctest after the unit tests are listed (tests/CMakeLists.txt): the longest unit tests'
# expected seconds (Release build, 2 cores), so that ctest -j starts them first in a fresh build.
# (ctest ignores a name that no longer exists: keep the names here in step with the tests.)
set_tests_properties(InformationBounds.MaxComboBoundsMatchMvtnorm PROPERTIES COST 88)
set_tests_properties(Trial.AnalysesPerLookAsDefined PROPERTIES COST 29)
set_tests_properties(Csv.SpeculativeAndExactCutsAgreeOnRandomTexts PROPERTIES COST 9)
set_tests_properties(MaxCombo.AgreesWithR PROPERTIES COST 9)
