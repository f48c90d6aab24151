module example.com/cancel-in-field

go 1.19
