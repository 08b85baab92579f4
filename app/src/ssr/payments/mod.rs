//! Payment gateways. One protocol is implemented, VNPay 2.1.0 ([`vnpay`]); the sandbox
//! gateway (`server/src/sandbox.rs`) speaks the same protocol on loopback, so development,
//! the demo and the tests run the whole redirect → pay → IPN → return flow without internet.

pub mod vnpay;
