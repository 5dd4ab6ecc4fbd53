"""Routes: sparql."""

from fastapi import APIRouter

router = APIRouter()
