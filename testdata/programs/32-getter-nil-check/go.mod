module example.com/getter-nil-check

go 1.19
