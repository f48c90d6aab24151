module example.com/named-chan-type

go 1.19
