module example.com/waitgroup-results

go 1.19
