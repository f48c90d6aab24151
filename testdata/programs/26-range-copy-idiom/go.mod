module example.com/range-copy-idiom

go 1.19
